namespace PaySim.Wallet.Errors;

/// <summary>
/// How an error message repeats a value the client sent (an id from the path, a field name from the body, the path
/// itself): at most <see cref="MaxShown"/> characters of it, so a 5,000-character id gives a one-line message, not a
/// 5 KB one. Every message that echoes such a value goes through here.
/// </summary>
internal static class Echo
{
    public const int MaxShown = 64;

    /// <summary><c>'value'</c>, or <c>'first 64 characters…' (cut to the first 64 of its 5000 characters)</c>.</summary>
    public static string Quoted(string? value) => Cut(value ?? string.Empty, quote: "'");

    /// <summary>The value as it is, or its first 64 characters, <c>…</c> and the same note as <see cref="Quoted"/>.</summary>
    public static string Plain(string? value) => Cut(value ?? string.Empty, quote: string.Empty);

    private static string Cut(string value, string quote)
    {
        var length = TextLength.Of(value);
        if (length <= MaxShown)
        {
            return quote + value + quote;
        }

        // Cut between code points, never inside a surrogate pair.
        var end = 0;
        var shown = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (shown++ == MaxShown)
            {
                break;
            }

            end += rune.Utf16SequenceLength;
        }

        return $"{quote}{value[..end]}…{quote} (cut to the first {MaxShown} of its {length} {TextLength.Unit})";
    }
}

namespace PaySim.Wallet.Errors;

/// <summary>
/// How the wallet's length rules count text: in Unicode code points, which the messages call "characters (Unicode
/// code points)". An emoji is one (string.Length counts its two UTF-16 units); a letter written with a separate
/// combining accent is two, so a limit still bounds the stored size (at most two UTF-16 units each).
/// </summary>
internal static class TextLength
{
    public const string Unit = "characters (Unicode code points)";

    public static int Of(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}

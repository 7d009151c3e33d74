using System.Globalization;

namespace PaySim.Simulator.Ledger;

/// <summary>
/// Authorization and refund ids: a prefix and the ledger's sequence number in at least ten
/// lowercase hex digits (<c>auth_000000002a</c>), the same format in memory and in Redis.
/// </summary>
internal static class LedgerIds
{
    private const string AuthorizationPrefix = "auth_";
    private const string RefundPrefix = "rfd_";
    private const int Digits = 10;

    public static string Authorization(long sequence) => Format(AuthorizationPrefix, sequence);

    public static string Refund(long sequence) => Format(RefundPrefix, sequence);

    // One allocation per id (every approved Authorize makes one), not a number string plus a concatenation.
    private static string Format(string prefix, long sequence)
    {
        var digits = Math.Max(Digits, (64 - long.LeadingZeroCount(sequence) + 3) / 4);
        return string.Create(prefix.Length + (int)digits, (prefix, sequence), static (span, state) =>
        {
            state.prefix.AsSpan().CopyTo(span);
            // x10 pads to ten digits; a longer number has exactly as many digits as "x" writes.
            state.sequence.TryFormat(span[state.prefix.Length..], out _, span.Length - state.prefix.Length == Digits ? "x10" : "x", CultureInfo.InvariantCulture);
        });
    }

    /// <summary>
    /// True only for an id exactly as <see cref="Authorization"/> writes it: any other spelling of the
    /// same number (upper case, extra leading zeros) is a different, unknown id, as it is to a map keyed by the string.
    /// </summary>
    public static bool TryParseAuthorization(string? id, out long sequence)
    {
        sequence = 0;
        if (id is null || id.Length < AuthorizationPrefix.Length + Digits || !id.StartsWith(AuthorizationPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var hex = id.AsSpan(AuthorizationPrefix.Length);
        if (hex.Length > 16 || (hex.Length > Digits && hex[0] == '0'))
        {
            return false;
        }

        foreach (var c in hex)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out sequence) && sequence > 0;
    }
}

using System.Globalization;

namespace PaySim.Simulator.Ledger;

/// <summary>
/// Where a ledger read stopped: the reset epoch the rows belong to and the last sequence number read.
/// Clients treat its text as opaque; the epoch is what tells a cursor of an earlier reset from a live one.
/// </summary>
internal readonly record struct LedgerCursor(long Epoch, long Sequence)
{
    private const int MaxLength = 41;

    public override string ToString() =>
        Epoch.ToString(CultureInfo.InvariantCulture) + "." + Sequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>True only for the text <see cref="ToString"/> writes: two non-negative decimal numbers joined by a dot.</summary>
    public static bool TryParse(string? text, out LedgerCursor cursor)
    {
        cursor = default;
        if (text is null || text.Length > MaxLength)
        {
            return false;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0
            || !long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            || !long.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return false;
        }

        cursor = new LedgerCursor(epoch, sequence);
        return true;
    }
}

namespace PaySim.Simulator.Ledger;

/// <summary>
/// A ledger cursor that cannot be read from: taken before the last reset (<see cref="Stale"/>, the rows it
/// pointed at are gone: 409 / FAILED_PRECONDITION), or pointing where this ledger never was (400 / INVALID_ARGUMENT).
/// </summary>
internal sealed class LedgerCursorException(string message, bool stale) : Exception(message)
{
    public bool Stale { get; } = stale;

    /// <summary>
    /// A cursor the ledger at <paramref name="epoch"/> cannot read from: one of an earlier epoch (or below the
    /// floor of this one) is stale, its rows are gone; one of a later epoch was never given out by this ledger,
    /// so it is not a cursor of it at all (400 / INVALID_ARGUMENT, not 409).
    /// </summary>
    public static LedgerCursorException OtherEpoch(LedgerCursor cursor, long epoch) =>
        cursor.Epoch <= epoch
            ? BeforeReset(cursor, epoch)
            : new($"since: cursor '{cursor}' is of reset epoch {cursor.Epoch}, but this ledger is at epoch {epoch}; pass a nextCursor from an earlier reply, or an empty since", stale: false);

    public static LedgerCursorException BeforeReset(LedgerCursor cursor, long epoch) =>
        new($"since: cursor '{cursor}' was taken before the ledger was reset (reset epoch {cursor.Epoch}, now {epoch}); read again with an empty since", stale: true);

    public static LedgerCursorException Outside(LedgerCursor cursor, long first, long head) =>
        new($"since: cursor '{cursor}' points outside this ledger (sequences {first}..{head}); pass a nextCursor from an earlier reply, or an empty since", stale: false);
}

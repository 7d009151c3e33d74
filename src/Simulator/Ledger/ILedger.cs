namespace PaySim.Simulator.Ledger;

/// <summary>Balances, holds, captures, releases and refunds. Every operation is atomic per account.</summary>
internal interface ILedger
{
    HoldResult Hold(HoldRequest request);

    CaptureResult Capture(string authorizationId, long amountMinor);

    /// <summary>Gives what is left of a hold (authorized − captured − released) back to the balance; nothing once captured.</summary>
    VoidResult Void(string authorizationId);

    RefundResult Refund(string authorizationId, long amountMinor);

    long AvailableMinor(string pan);

    /// <summary>The card an authorization was made on, or null for an unknown id (off the load path: transaction notices).</summary>
    string? PanOf(string authorizationId);

    LedgerInvariants Invariants();

    /// <summary>
    /// Up to <paramref name="limit"/> authorizations after <paramref name="since"/> (null = from the last reset),
    /// in sequence order, each as it stands now. Limit 0 reads no rows and returns the cursor of the head.
    /// Throws <see cref="LedgerCursorException"/> for a cursor of an earlier reset or past the head.
    /// </summary>
    LedgerPage ReadPage(LedgerCursor? since, int limit);

    /// <summary>Back to the opening balances.</summary>
    void Reset();
}

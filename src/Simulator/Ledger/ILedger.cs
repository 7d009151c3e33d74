namespace PaySim.Simulator.Ledger;

/// <summary>Balances, holds, captures and refunds. Every operation is atomic per account.</summary>
internal interface ILedger
{
    HoldResult Hold(HoldRequest request);

    CaptureResult Capture(string authorizationId, long amountMinor);

    RefundResult Refund(string authorizationId, long amountMinor);

    long AvailableMinor(string pan);

    LedgerInvariants Invariants();

    /// <summary>Back to the opening balances.</summary>
    void Reset();
}

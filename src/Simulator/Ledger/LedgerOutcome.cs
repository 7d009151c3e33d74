namespace PaySim.Simulator.Ledger;

internal enum LedgerOutcome
{
    Approved,
    InsufficientFunds,
    OverLimit,
    UnknownAccount,
    UnknownAuthorization,
    InvalidAmount,

    /// <summary>A Void of an authorization that was captured: the money moved, only a refund gives it back.</summary>
    AlreadyCaptured,
}

namespace PaySim.Simulator.Ledger;

internal enum LedgerOutcome
{
    Approved,
    InsufficientFunds,
    OverLimit,
    UnknownAccount,
    UnknownAuthorization,
    InvalidAmount,
}

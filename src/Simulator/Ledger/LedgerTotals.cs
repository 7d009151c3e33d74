namespace PaySim.Simulator.Ledger;

/// <summary>
/// The sums a ledger store adds up for its verdict. <see cref="OpenHoldsMinor"/> is authorized − captured −
/// released over every authorization, which must equal what the accounts say they hold.
/// </summary>
internal readonly record struct LedgerTotals(
    long InitialMinor,
    long BalancesMinor,
    long HeldMinor,
    long CapturedMinor,
    long ReleasedMinor,
    long RefundedMinor,
    long OpenHoldsMinor,
    long Authorizations);

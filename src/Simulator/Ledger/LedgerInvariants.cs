namespace PaySim.Simulator.Ledger;

/// <summary>What the ledger says about double charges and conservation of money at one instant.</summary>
internal sealed record LedgerInvariants
{
    public long DuplicateCharges { get; init; }
    public bool MoneyConserved { get; init; }
    public long InitialTotalMinor { get; init; }
    public long BalancesMinor { get; init; }
    public long HeldMinor { get; init; }
    public long CapturedMinor { get; init; }
    public long RefundedMinor { get; init; }
    public IReadOnlyList<string> Violations { get; init; } = [];
    public long Authorizations { get; init; }
}

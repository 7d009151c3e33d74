namespace PaySim.LoadTests.Plans;

internal sealed class PlanEmbeddedDocument
{
    public int? Nodes { get; set; }

    public int? WalletInstances { get; set; }

    public string? WalletMode { get; set; }

    public string? BalancingPolicy { get; set; }
}

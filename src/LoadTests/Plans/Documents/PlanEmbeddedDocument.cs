namespace PaySim.LoadTests.Plans.Documents;

internal sealed class PlanEmbeddedDocument
{
    public int? Nodes { get; set; }

    public int? WalletInstances { get; set; }

    public string? WalletMode { get; set; }

    public string? BalancingPolicy { get; set; }
}

namespace PaySim.LoadTests.Plans;

internal sealed record EmbeddedTarget
{
    public const string DefaultBalancingPolicy = PaySim.Wallet.Configuration.BalancingPolicies.RoundRobin;

    public int Nodes { get; init; } = 3;

    public int WalletInstances { get; init; } = 2;

    public string WalletMode { get; init; } = WalletModeName.Resilient;

    public string BalancingPolicy { get; init; } = DefaultBalancingPolicy;

    /// <summary>Planted defects every embedded wallet instance starts with (<c>--defect</c>, <c>selftest</c>); none by default.</summary>
    public IReadOnlyList<string> Defects { get; init; } = [];
}

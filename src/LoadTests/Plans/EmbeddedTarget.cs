namespace PaySim.LoadTests.Plans;

internal sealed record EmbeddedTarget
{
    public const string DefaultBalancingPolicy = PaySim.Wallet.Configuration.BalancingPolicies.RoundRobin;

    public int Nodes { get; init; } = 3;

    public int WalletInstances { get; init; } = 2;

    public string WalletMode { get; init; } = WalletModeName.Resilient;

    public string BalancingPolicy { get; init; } = DefaultBalancingPolicy;

    /// <summary>The issuer nodes the embedded simulator starts: issuer-1..issuer-<see cref="Nodes"/>.</summary>
    public IReadOnlyList<string> IssuerNodeNames => Enumerable.Range(1, Nodes).Select(i => $"issuer-{i}").ToArray();

    /// <summary>The wallet instances the embedded target starts: wallet-1..wallet-<see cref="WalletInstances"/>.</summary>
    public IReadOnlyList<string> WalletInstanceNames => Enumerable.Range(1, WalletInstances).Select(i => $"wallet-{i}").ToArray();

    /// <summary>Planted defects every embedded wallet instance starts with (<c>--defect</c>, <c>selftest</c>); none by default.</summary>
    public IReadOnlyList<string> Defects { get; init; } = [];
}

namespace PaySim.Wallet.Tests.EndToEnd;

/// <summary>End-to-end tests run one at a time: each starts a simulator and a wallet, and the CI box has two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "end-to-end";
}

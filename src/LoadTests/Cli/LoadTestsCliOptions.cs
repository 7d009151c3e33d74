using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Cli;

/// <summary>Extension points for a host program that embeds the command line (e.g. to drive a wallet with a different API).</summary>
public sealed record LoadTestsCliOptions
{
    /// <summary>null = <see cref="HttpWalletClient"/> (the reference wallet's REST contract).</summary>
    public WalletClientFactory? WalletClientFactory { get; init; }
}

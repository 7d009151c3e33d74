using PaySim.Wallet.Configuration;

namespace PaySim.Wallet.Tests.Support;

internal static class Hosts
{
    /// <summary>Options for a wallet on ephemeral ports with cheap hashing; issuers default to a port nothing listens on.</summary>
    public static WalletOptions Options(string databasePath, WalletMode mode = WalletMode.Naive, IReadOnlyList<Uri>? issuers = null, int instances = 1) => new()
    {
        Instances = instances,
        Port = 0,
        Mode = mode,
        DatabasePath = databasePath,
        IssuerUris = issuers ?? [new Uri("http://127.0.0.1:9")],
        PasswordHashIterations = 1_000,
        PinHashIterations = 1_000,
    };
}

using Microsoft.Extensions.Logging;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Integration;
using PaySim.Wallet.Observability;
using PaySim.Wallet.Resilience;

namespace PaySim.Wallet.Hosting;

/// <summary>Chooses the integration by name, as YARP chooses a load-balancing policy.</summary>
internal static class IssuerIntegrations
{
    public static IReadOnlyList<string> Names { get; } = [NaiveIssuerIntegration.IntegrationName, ResilientIssuerIntegration.IntegrationName];

    public static IIssuerIntegration Create(WalletOptions options, WalletMetrics metrics, ILoggerFactory loggerFactory) => options.Mode switch
    {
        WalletMode.Naive => new NaiveIssuerIntegration(options.IssuerUris, metrics),
        WalletMode.Resilient => new ResilientIssuerIntegration(options, metrics, loggerFactory),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "mode must be naive or resilient"),
    };

    public static bool TryParseMode(string? name, out WalletMode mode)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case NaiveIssuerIntegration.IntegrationName:
                mode = WalletMode.Naive;
                return true;
            case ResilientIssuerIntegration.IntegrationName:
                mode = WalletMode.Resilient;
                return true;
            default:
                mode = default;
                return false;
        }
    }
}

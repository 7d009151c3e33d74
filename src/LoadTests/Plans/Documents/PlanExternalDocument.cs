namespace PaySim.LoadTests.Plans.Documents;

internal sealed class PlanExternalDocument
{
    public List<string>? WalletUrls { get; set; }

    public string? SimulatorUrl { get; set; }

    /// <summary>The SMS gateway's gRPC address; discovered from the control plane when absent.</summary>
    public string? SmsUrl { get; set; }

    /// <summary>Shell commands that fail a wallet instance: crash, restart, freeze, thaw ({instance} is replaced by its name).</summary>
    public Dictionary<string, string>? Hooks { get; set; }
}

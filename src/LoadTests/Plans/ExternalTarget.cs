namespace PaySim.LoadTests.Plans;

/// <param name="Hooks">Wallet-instance actions by name (<see cref="WalletHooks.Names"/>): shell commands with {instance}.</param>
internal sealed record ExternalTarget(IReadOnlyList<Uri> WalletUrls, Uri SimulatorUrl, Uri? SmsUrl, IReadOnlyDictionary<string, string> Hooks)
{
    /// <summary><c>--allow-remote</c>: hosts other than this machine may be called (<see cref="LocalTarget"/>).</summary>
    public bool AllowRemote { get; init; }
}

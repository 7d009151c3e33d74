namespace PaySim.LoadTests.Plans;

/// <param name="Hooks">Wallet-instance actions by name (<see cref="WalletHooks.Names"/>): shell commands with {instance}.</param>
internal sealed record ExternalTarget(IReadOnlyList<Uri> WalletUrls, Uri SimulatorUrl, Uri? SmsUrl, IReadOnlyDictionary<string, string> Hooks);

namespace PaySim.LoadTests.Plans;

internal sealed record ExternalTarget(IReadOnlyList<Uri> WalletUrls, Uri SimulatorUrl, Uri? SmsUrl);

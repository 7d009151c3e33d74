namespace PaySim.Wallet.Hosting;

/// <summary>One running wallet instance: its name (the <c>X-Served-By</c> value) and base address.</summary>
public sealed record WalletInstanceInfo(string Name, Uri Uri);

namespace PaySim.LoadTests.Wallets;

/// <summary>
/// Makes the client the scenarios drive: the wallet base URLs of the target and the plan's per-call
/// timeout in, an <see cref="IWalletClient"/> out. Disposed (if disposable) when the run ends.
/// The default is <see cref="HttpWalletClient"/>; see docs/your-wallet.md for plugging in another.
/// </summary>
public delegate IWalletClient WalletClientFactory(IReadOnlyList<Uri> walletUrls, TimeSpan timeout);

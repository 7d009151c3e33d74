using PaySim.Wallet.Hosting;

// The reference wallet's command line (docs/wallet.md): WalletCommandLine has the flags and what they do.
return await WalletCommandLine.RunAsync(args);

namespace PaySim.LoadTests.Cluster;

/// <summary>What a wallet action did: the signal or hook command, the hook's exit code (null for a signal), and an error when it failed.</summary>
internal sealed record WalletActionResult(string Command, int? ExitCode, string? Error);

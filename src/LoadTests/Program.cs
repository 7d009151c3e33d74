using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Cluster;
using PaySim.Simulator.Cli;

if (args is [WalletInstanceCommand.Verb, ..])
{
    // A wallet child process: its parent owns its lifetime (WalletInstanceCommand handles its signals).
    return await LoadTestsCli.InvokeAsync(args).ConfigureAwait(false);
}

using var signals = new ShutdownSignals(Console.Error, SignalNotice.For(args));
return await LoadTestsCli.InvokeAsync(args, cancellationToken: signals.Token).ConfigureAwait(false);

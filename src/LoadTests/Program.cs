using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Cluster;
using PaySim.Simulator.Cli;

if (args is [WalletInstanceCommand.Verb, ..])
{
    // A wallet child process: its parent owns its lifetime (WalletInstanceCommand handles its signals).
    return await LoadTestsCli.InvokeAsync(args).ConfigureAwait(false);
}

using var signals = new ShutdownSignals(Console.Error, "stopping the load, reverting faults, writing the report (Ctrl+C again to quit at once)");
return await LoadTestsCli.InvokeAsync(args, cancellationToken: signals.Token).ConfigureAwait(false);

using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Cluster;

if (args is [WalletInstanceCommand.Verb, ..])
{
    // A wallet child process: its parent owns its lifetime (WalletInstanceCommand handles its signals).
    return await LoadTestsCli.InvokeAsync(args).ConfigureAwait(false);
}

using var signals = new InterruptSignals(Console.Error);
return await LoadTestsCli.InvokeAsync(args, cancellationToken: signals.Token).ConfigureAwait(false);

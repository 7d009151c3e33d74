using Microsoft.Extensions.Hosting;

namespace PaySim.Wallet.Hosting;

/// <summary>
/// Replaces the console lifetime: an instance lives as long as its <see cref="WalletHost"/>, and Ctrl+C/SIGTERM
/// belong to whoever owns the process (the command line or the load test), not to each embedded instance.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

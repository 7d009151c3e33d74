using Microsoft.Extensions.Hosting;

namespace PaySim.Simulator.Hosting;

/// <summary>
/// Replaces the console lifetime of each node's web application: Ctrl+C and SIGTERM belong to
/// whoever owns the process (the command line or a load test), not to every embedded node,
/// which would otherwise swallow the signal and leave the process running.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

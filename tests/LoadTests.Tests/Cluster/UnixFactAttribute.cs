using PaySim.LoadTests.Cluster;

namespace PaySim.LoadTests.Tests.Cluster;

/// <summary>A fact that is skipped, with the reason shown, where there are no Unix signals or /bin/sh (Windows).</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (!ProcessSignals.Supported)
        {
            Skip = "needs Unix: SIGSTOP/SIGCONT and /bin/sh";
        }
    }
}

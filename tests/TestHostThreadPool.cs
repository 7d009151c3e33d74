using System.Runtime.CompilerServices;

namespace PaySim.TestSupport;

/// <summary>
/// Compiled into every test assembly (tests/Directory.Build.props). The test host keeps two thread-pool threads blocked
/// for its whole life (vstest's message loop polls its socket on one, xunit's assembly runner waits on another), and on
/// a 2-core machine the pool's minimum is 2: every other work item then waits for the starvation logic, which adds one
/// thread about every 500 ms. An in-process run measured that as 0.5 to 0.9 s stalls (the load generator began iterations
/// that late and the capacity test's first step read p99 915 ms in CI). 16 threads from the start, as a load-test process
/// outside a test host effectively has.
/// </summary>
internal static class TestHostThreadPool
{
    public const int MinWorkerThreads = 16;

#pragma warning disable CA2255 // a test assembly, not a library: the pool must be wide before the first test runs
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Widen()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < MinWorkerThreads)
        {
            ThreadPool.SetMinThreads(MinWorkerThreads, io);
        }
    }
}

namespace PaySim.LoadEngine.Tests.Running;

public sealed class TestHostThreadPoolTests
{
    /// <summary>
    /// The module initializer widened the pool before any test ran: with the test host's two blocked threads, a
    /// 2-core minimum left no thread for the engine and real-clock runs read 0.5–0.9 s start lags.
    /// </summary>
    [Fact]
    public async Task ThePool_StartsWideEnough_ThatTwoBlockedThreadsDoNotDelayAnOpenModelStart()
    {
        ThreadPool.GetMinThreads(out var workers, out _);
        Assert.True(workers >= TestHostThreadPool.MinWorkerThreads, $"min worker threads {workers}");

        // Block two more pool threads, as the test host does, and an iteration still begins at once: the pool has
        // threads to spare without waiting for its starvation logic.
        using var release = new ManualResetEventSlim();
        var blockers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() => release.Wait(TimeSpan.FromSeconds(30)), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default)).ToArray();
        try
        {
            var scenario = Scenario.Create("open", _ => Task.FromResult(Response.Ok()))
                .WithWarmUpDuration(TimeSpan.Zero)
                .WithLoadSimulations(LoadSimulation.Inject(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
            var result = await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false).RunAsync();

            Assert.InRange(result.GetScenario("open").Ok, 19, 21);

            // Without the spare threads the first start waits ~500 ms for an injected thread.
            Assert.True(result.GetScenario("open").MaxStartLagMs < 400, $"max start lag {result.GetScenario("open").MaxStartLagMs} ms");
        }
        finally
        {
            release.Set();
            await Task.WhenAll(blockers);
        }
    }
}

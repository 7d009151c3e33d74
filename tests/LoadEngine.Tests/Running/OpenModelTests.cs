using Microsoft.Extensions.Time.Testing;

namespace PaySim.LoadEngine.Tests.Running;

public sealed class OpenModelTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Inject_AtHalfPerSecond_OnAFakeClock_StartsFiveIterationsInTenSeconds()
    {
        var fake = new FakeTimeProvider();
        var started = 0;
        var scenario = Scenario.Create("half", _ =>
            {
                Interlocked.Increment(ref started);
                return Task.FromResult(Response.Ok());
            })
            .WithLoadSimulations(LoadSimulation.Inject(0.5, Second, TimeSpan.FromSeconds(10)));

        var run = LoadTestRunner.RegisterScenarios(scenario).WithTimeProvider(fake).WithProgress(false).RunAsync();
        await FakeClock.DriveAsync(fake, run, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
        var result = await run;

        Assert.InRange(started, 4, 6);
        Assert.InRange(result.GetScenario("half").Ok, 4, 6);
        Assert.Equal(5, started);
    }

    [Fact]
    public async Task Inject_AtTwelveAndAHalfPerSecond_StartsTwentyFiveIterationsInTwoSeconds()
    {
        var started = 0;
        var scenario = Scenario.Create("fractional", _ =>
            {
                Interlocked.Increment(ref started);
                return Task.FromResult(Response.Ok(200));
            })
            .WithLoadSimulations(LoadSimulation.Inject(12.5, Second, TimeSpan.FromSeconds(2)));

        var result = await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false).RunAsync();

        Assert.InRange(started, 24, 26);
        var s = result.GetScenario("fractional");
        Assert.Equal(started, s.Ok);
        Assert.Equal(s.Ok, s.StatusCodes["200"]);
        Assert.Equal(0, s.Dropped);
    }

    [Fact]
    public async Task MaxConcurrency_Reached_CountsDroppedIterations_AndNeverQueuesThem()
    {
        // On the fake clock: a real 500 ms wait on a busy machine could outlast the 1.5 s latency bound below.
        var fake = new FakeTimeProvider();
        var started = 0;
        var scenario = Scenario.Create("capped", async ctx =>
            {
                Interlocked.Increment(ref started);
                await Task.Delay(TimeSpan.FromMilliseconds(500), ctx.TimeProvider, ctx.CancellationToken);
                return Response.Ok();
            })
            .WithMaxConcurrency(10)
            .WithLoadSimulations(LoadSimulation.Inject(100, Second, TimeSpan.FromSeconds(1)));

        var run = LoadTestRunner.RegisterScenarios(scenario).WithTimeProvider(fake).WithProgress(false).RunAsync();
        await FakeClock.DriveAsync(fake, run, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(20));
        var result = await run;
        var s = result.GetScenario("capped");

        // Every due iteration either started on time or was dropped: 100 in all, none waiting.
        Assert.Equal(100, started + s.Dropped);
        Assert.InRange(s.Dropped, 60, 90);
        Assert.Equal(started, s.Ok);

        // Queued iterations would be timed from when they were due and pile up to ~4.5 s (100 × 0.5 s / 10).
        Assert.True(s.LatencyMs.Max < 1500, $"max {s.LatencyMs.Max} ms: started iterations were not delayed");
        Assert.Contains(result.TimeSeries, p => p.Scenario == "capped" && p.Dropped > 0);
    }

    [Fact]
    public async Task Latency_InTheOpenModel_IsMeasuredFromTheIntendedStart()
    {
        var fake = new FakeTimeProvider();
        var scenario = Scenario.Create("timed", async ctx =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300), ctx.TimeProvider, ctx.CancellationToken);
                return Response.Ok();
            })
            .WithLoadSimulations(LoadSimulation.Inject(1, Second, TimeSpan.FromSeconds(3)));

        var run = LoadTestRunner.RegisterScenarios(scenario).WithTimeProvider(fake).WithProgress(false).RunAsync();
        await FakeClock.DriveAsync(fake, run, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(20));
        var s = (await run).GetScenario("timed");

        Assert.Equal(3, s.Ok);

        // The fake clock moves in 50 ms steps, so a start can be late by up to one step: 300–400 ms.
        Assert.InRange(s.LatencyMs.Min, 299, 401);
        Assert.InRange(s.LatencyMs.Max, 299, 401);
    }

    [Fact]
    public async Task Stall_OfOneSecond_InATenSecondRunAtHundredPerSecond_OnAFakeClock_GivesOpenP99AboveHalfASecond()
    {
        var fake = new FakeTimeProvider();
        var t0 = fake.GetUtcNow();

        // 2 ms answers, except that everything arriving between 4 s and 5 s waits until 5 s.
        Func<IScenarioContext, Task<Response>> target = async ctx =>
        {
            var now = ctx.TimeProvider.GetUtcNow() - t0;
            var stalled = now >= TimeSpan.FromSeconds(4) && now < TimeSpan.FromSeconds(5);
            await Task.Delay(stalled ? TimeSpan.FromSeconds(5) - now : TimeSpan.FromMilliseconds(2), ctx.TimeProvider, ctx.CancellationToken);
            return Response.Ok();
        };
        var open = Scenario.Create("open", target)
            .WithLoadSimulations(LoadSimulation.Inject(100, Second, TimeSpan.FromSeconds(10)));
        var closed = Scenario.Create("closed", target)
            .WithLoadSimulations(LoadSimulation.KeepConstant(1, TimeSpan.FromSeconds(10)));

        var run = LoadTestRunner.RegisterScenarios(open, closed).WithTimeProvider(fake).WithProgress(false).RunAsync();
        await FakeClock.DriveAsync(fake, run, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30));
        var result = await run;

        // Open: 100 of 1,000 iterations were due during the stall and are timed from when they were
        // due (1000 ms down to 0 ms), so 10% of samples are slow and p99 is close to 1 s.
        var o = result.GetScenario("open");
        Assert.InRange(o.Ok, 999, 1001);
        Assert.True(o.LatencyMs.P99 >= 500, $"open p99 {o.LatencyMs.P99} ms");
        Assert.True(o.LatencyMs.P90 >= 5, $"open p90 {o.LatencyMs.P90} ms");

        // The target stalled, not the generator: every iteration began within one 10 ms clock step of its intended start.
        Assert.InRange(o.MaxStartLagMs, 0, 10.5);
        Assert.All(result.TimeSeries.Where(p => p.Scenario == "open"), p => Assert.InRange(p.MaxStartLagMs, 0, 10.5));

        // Closed: the one copy spends the stall inside a single iteration; that one slow sample
        // among ~900 fast ones sits above p99, so the closed p99 would call this run healthy.
        var c = result.GetScenario("closed");
        Assert.True(c.Ok > 300, $"closed ok {c.Ok}");
        Assert.True(c.LatencyMs.Max >= 900, $"closed max {c.LatencyMs.Max} ms");
        Assert.True(c.LatencyMs.P99 < 500, $"closed p99 {c.LatencyMs.P99} ms");
    }

    [Fact]
    public async Task GeneratorStall_OfHalfASecond_IsReportedAsStartLag_InItsSecondAndTheSummary()
    {
        // The target answers at once; the harness itself stops for 600 ms after 2 s (the clock jumps while no
        // continuation runs, as when the machine is starved): the iterations due meanwhile begin up to 600 ms late.
        var fake = new FakeTimeProvider();
        var scenario = Scenario.Create("open", _ => Task.FromResult(Response.Ok()))
            .WithWarmUpDuration(TimeSpan.Zero)
            .WithLoadSimulations(LoadSimulation.Inject(50, Second, TimeSpan.FromSeconds(4)));

        var run = LoadTestRunner.RegisterScenarios(scenario).WithTimeProvider(fake).WithProgress(false).RunAsync();
        await FakeClock.DriveAsync(fake, run, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(20),
            stallAt: TimeSpan.FromMilliseconds(2_200), stall: () => fake.Advance(TimeSpan.FromMilliseconds(600)));

        var result = await run;
        var s = result.GetScenario("open");
        Assert.InRange(s.Ok, 199, 201);
        Assert.InRange(s.MaxStartLagMs, 570, 611); // the first start due after the jump began 600 ms less at most one 20 ms gap late

        // The late starts land in the second the clock jumped to (2.8 s: engine second 3); the others began on time.
        var points = result.TimeSeries.Where(p => p.Scenario == "open").ToArray();
        var late = points.Where(p => p.MaxStartLagMs > 100).Select(p => p.Second).ToArray();
        Assert.Equal([3], late);
        Assert.All(points.Where(p => p.Second != 3), p => Assert.InRange(p.MaxStartLagMs, 0, 10.5));
    }
}

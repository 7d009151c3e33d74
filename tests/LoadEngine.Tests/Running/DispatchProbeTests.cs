using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using PaySim.LoadEngine.Running;

namespace PaySim.LoadEngine.Tests.Running;

/// <summary>The dispatch probe: how long the harness's thread pool keeps work waiting, in either load model.</summary>
public sealed class DispatchProbeTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Probe_ReportsHowLongItsItemWaited_AndQueuesNoSecondItemWhileOneWaits()
    {
        var fake = new FakeTimeProvider();
        var held = new List<IThreadPoolWorkItem>();
        var reports = new List<long>();
        using var probe = new DispatchProbe(fake, reports.Add, held.Add);
        probe.Start();
        long Ms(int ms) => ms * fake.TimestampFrequency / 1000;

        fake.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Single(held);
        Assert.Empty(reports);

        // The item has not run: the ticks meanwhile queue no second item.
        fake.Advance(TimeSpan.FromMilliseconds(40));
        Assert.Single(held);
        Assert.Empty(reports);

        // It runs 45 ms after it was queued: that is its wait.
        fake.Advance(TimeSpan.FromMilliseconds(5));
        held[0].Execute();
        Assert.Equal([Ms(45)], reports);

        // The next tick (at 60 ms) queues a new item; one that runs at once reports no wait.
        fake.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(2, held.Count);
        held[1].Execute();
        Assert.Equal([Ms(45), 0], reports);
    }

    [Fact]
    public async Task StarvedPool_DuringAClosedModelRun_IsItsStartLag_InTheSecondItHappened_AndNotAScenarioNotYetStarted()
    {
        // The closed copy's target answers in 20 ms. After 2.2 s the pool is starved for 600 ms (the probe's item is held
        // while the clock moves on, as a pool with no free thread would keep it): the closed model has no schedule of its
        // own to fall behind, but the probe sees the wait. A scenario that starts at 3 s was not running then.
        var fake = new FakeTimeProvider();
        var hold = false;
        var held = new ConcurrentQueue<IThreadPoolWorkItem>();
        void Queue(IThreadPoolWorkItem item)
        {
            if (Volatile.Read(ref hold))
            {
                held.Enqueue(item);
            }
            else
            {
                ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
            }
        }

        Func<IScenarioContext, Task<Response>> target = async ctx =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), ctx.TimeProvider, ctx.CancellationToken);
            return Response.Ok();
        };
        var closed = Scenario.Create("closed", target)
            .WithWarmUpDuration(TimeSpan.Zero)
            .WithLoadSimulations(LoadSimulation.KeepConstant(1, TimeSpan.FromSeconds(4)));
        var later = Scenario.Create("later", target)
            .WithWarmUpDuration(TimeSpan.Zero)
            .WithStartDelay(TimeSpan.FromSeconds(3))
            .WithLoadSimulations(LoadSimulation.KeepConstant(1, Second));

        var run = LoadTestRunner.RegisterScenarios(closed, later).WithTimeProvider(fake).WithDispatchQueue(Queue).WithProgress(false).RunAsync();
        await FakeClock.DriveAsync(fake, run, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(20), stallAt: TimeSpan.FromMilliseconds(2_200), stall: () =>
        {
            Volatile.Write(ref hold, true);
            fake.Advance(TimeSpan.FromMilliseconds(10));
            Assert.Single(held); // the tick queued the item, and the pool "has no thread" for it
            fake.Advance(TimeSpan.FromMilliseconds(600));
            Volatile.Write(ref hold, false);
            while (held.TryDequeue(out var item))
            {
                ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
            }
        });

        var result = await run;
        var c = result.GetScenario("closed");
        Assert.True(c.Ok > 100, $"closed ok {c.Ok}");
        Assert.InRange(c.MaxStartLagMs, 600, 611); // held for the 600 ms jump, run within one 10 ms step after it

        // The stall (2.2 s to 2.8 s) lands in engine second 3; the other seconds were on time.
        var points = result.TimeSeries.Where(p => p.Scenario == "closed").ToArray();
        Assert.Equal([3], points.Where(p => p.MaxStartLagMs > 100).Select(p => p.Second).ToArray());
        Assert.All(points.Where(p => p.Second != 3), p => Assert.InRange(p.MaxStartLagMs, 0, 10.5));

        // "later" started at 3 s, after the stall: none of it is its lag.
        var l = result.GetScenario("later");
        Assert.True(l.Ok > 10, $"later ok {l.Ok}");
        Assert.InRange(l.MaxStartLagMs, 0, 10.5);
    }

    [Fact]
    public async Task SlowTarget_InAClosedModelRun_IsNotStartLag()
    {
        // Every reply takes 700 ms: the latency is the target's, and the pool was free the whole time.
        var fake = new FakeTimeProvider();
        var scenario = Scenario.Create("closed", async ctx =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(700), ctx.TimeProvider, ctx.CancellationToken);
                return Response.Ok();
            })
            .WithWarmUpDuration(TimeSpan.Zero)
            .WithLoadSimulations(LoadSimulation.KeepConstant(2, TimeSpan.FromSeconds(3)));

        var run = LoadTestRunner.RegisterScenarios(scenario).WithTimeProvider(fake).WithProgress(false).RunAsync();
        await FakeClock.DriveAsync(fake, run, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(20));
        var result = await run;

        var s = result.GetScenario("closed");
        Assert.True(s.LatencyMs.P50 >= 690, $"p50 {s.LatencyMs.P50} ms");
        Assert.InRange(s.MaxStartLagMs, 0, 10.5);
    }

    [Fact]
    public async Task RealPool_WideEnough_KeepsAClosedModelRunsStartLagSmall()
    {
        // The real clock and pool: the probe's waits are microseconds to a few ms (in µs, not the clock's ticks).
        var scenario = Scenario.Create("closed", async ctx =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5), ctx.CancellationToken);
                return Response.Ok();
            })
            .WithWarmUpDuration(TimeSpan.Zero)
            .WithLoadSimulations(LoadSimulation.KeepConstant(2, TimeSpan.FromSeconds(1.5)));

        var result = await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false).RunAsync();

        var s = result.GetScenario("closed");
        Assert.True(s.Ok > 50, $"ok {s.Ok}");
        Assert.True(s.MaxStartLagMs < 400, $"max start lag {s.MaxStartLagMs} ms");
        Assert.Equal(s.MaxStartLagMs, result.TimeSeries.Where(p => p.Scenario == "closed").Max(p => p.MaxStartLagMs));
    }
}

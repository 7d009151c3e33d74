using System.Collections.Concurrent;
using PaySim.LoadEngine.Running;

namespace PaySim.LoadEngine.Tests.Running;

public sealed class RequestObserverTests
{
    [Fact]
    public async Task Observer_SeesEveryCountedIterationAndStep_WithItsRecordedLatencyAndStatus()
    {
        var observer = new CollectingObserver();
        var scenario = Scenario.Create("pay", async ctx =>
            {
                await Step.Run("fast", ctx, () => Task.FromResult(Response.Ok("00")));
                return await Step.Run("slow", ctx, async () =>
                {
                    await Task.Delay(20, ctx.CancellationToken);
                    return ctx.InvocationNumber % 5 == 0 ? Response.Fail(503) : Response.Ok(200);
                });
            })
            .WithLoadSimulations(LoadSimulation.Iterations(4, 60));

        var before = DateTimeOffset.UtcNow;
        var result = await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false).WithRequestObserver(observer).RunAsync();
        var after = DateTimeOffset.UtcNow;
        var s = result.GetScenario("pay");
        var samples = observer.Samples.ToArray();

        Assert.Equal(60, s.Ok + s.Fail);
        var iterations = samples.Where(x => x.Step is null).ToArray();
        Assert.Equal(s.Ok + s.Fail, iterations.Length);
        Assert.Equal(s.StatusCodes, Codes(iterations));
        foreach (var step in s.Steps)
        {
            var seen = samples.Where(x => x.Step == step.Name).ToArray();
            Assert.Equal(step.Ok + step.Fail, seen.Length);
            Assert.Equal(step.Ok, seen.Count(x => x.IsOk));
            Assert.Equal(step.StatusCodes, Codes(seen));

            // The latency handed over is the one recorded: the histogram's max is the largest sample (within its 0.1% precision).
            Assert.Equal(step.LatencyMs.Max, seen.Max(x => x.LatencyMicros) / 1000.0, tolerance: step.LatencyMs.Max * 0.002 + 0.002);
        }

        Assert.Equal(["fast", "slow"], samples.Select(x => x.Step).OfType<string>().Distinct().Order(StringComparer.Ordinal));
        Assert.All(samples, x => Assert.Equal("pay", x.Scenario));
        // Task.Delay(20) may wake a little early on a coarse timer, never by a quarter.
        Assert.All(samples.Where(x => x.Step == "slow"), x => Assert.True(x.LatencyMicros >= 15_000, $"slow step took {x.LatencyMicros} µs"));
        Assert.All(iterations, x => Assert.True(x.LatencyMicros >= 15_000, $"iteration took {x.LatencyMicros} µs"));
        Assert.Equal(12, iterations.Count(x => x is { IsOk: false, StatusCode: "503" }));
        Assert.Equal(48, iterations.Count(x => x is { IsOk: true, StatusCode: "200" }));
        Assert.All(samples, x => Assert.InRange(x.EndedUtc, before, after));
    }

    [Fact]
    public async Task Observer_OpenModel_SkipsWarmUpLikeTheStatistics()
    {
        var observer = new CollectingObserver();
        var scenario = Scenario.Create("open", async ctx =>
            {
                await Task.Yield();
                return ctx.InvocationNumber % 3 == 0 ? Response.Fail("timeout") : Response.Ok();
            })
            .WithLoadSimulations(LoadSimulation.Inject(200, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5)))
            .WithWarmUpDuration(TimeSpan.FromSeconds(0.5));

        var result = await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false).WithRequestObserver(observer).RunAsync();
        var s = result.GetScenario("open");

        Assert.InRange(s.Ok + s.Fail, 150, 250);
        Assert.Equal(s.Ok + s.Fail, observer.Samples.Count);
        Assert.Equal(s.StatusCodes, Codes(observer.Samples));
    }

    [Fact]
    public async Task TwoObservers_BothSeeEveryRequest_InTheOrderTheyWereAdded()
    {
        var order = new ConcurrentQueue<string>();
        var first = new CollectingObserver(order, "first");
        var second = new CollectingObserver(order, "second");
        var scenario = Scenario.Create("pay", async ctx =>
            {
                await Step.Run("charge", ctx, () => Task.FromResult(Response.Ok(200)));
                return ctx.InvocationNumber % 4 == 0 ? Response.Fail(503) : Response.Ok(200);
            })
            .WithLoadSimulations(LoadSimulation.Iterations(1, 40));

        var result = await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false)
            .WithRequestObserver(first).WithRequestObserver(second).RunAsync();
        var s = result.GetScenario("pay");

        Assert.Equal(40, s.Ok + s.Fail);
        // 40 iterations and 40 steps, each seen by both.
        Assert.Equal(80, first.Samples.Count);
        Assert.Equal(first.Samples.ToArray(), second.Samples.ToArray());
        Assert.Equal(s.StatusCodes, Codes(first.Samples.Where(x => x.Step is null)));
        Assert.Equal(40, first.Samples.Count(x => x.Step == "charge"));
        // One copy at a time: each sample goes to the first observer, then the second, before the next sample.
        Assert.Equal(Enumerable.Range(0, 80).SelectMany(_ => new[] { "first", "second" }), order.ToArray());
    }

    [Fact]
    public async Task ThreeObservers_AllSeeEveryRequest()
    {
        var observers = Enumerable.Range(0, 3).Select(_ => new CollectingObserver()).ToArray();
        var scenario = Scenario.Create("pay", _ => Task.FromResult(Response.Ok()))
            .WithLoadSimulations(LoadSimulation.Iterations(2, 25));

        var runner = LoadTestRunner.RegisterScenarios(scenario).WithProgress(false);
        foreach (var observer in observers)
        {
            runner = runner.WithRequestObserver(observer);
        }

        await runner.RunAsync();

        Assert.All(observers, o => Assert.Equal(25, o.Samples.Count));
    }

    [Fact]
    public void One_observer_is_called_as_it_is_and_more_are_one_flat_composite_in_order()
    {
        var a = new CollectingObserver();
        var b = new CollectingObserver();
        var c = new CollectingObserver();

        Assert.Same(a, CompositeRequestObserver.Append(null, a));
        var two = Assert.IsType<CompositeRequestObserver>(CompositeRequestObserver.Append(a, b));
        Assert.Equal([a, b], two.Observers);
        var three = Assert.IsType<CompositeRequestObserver>(CompositeRequestObserver.Append(two, c));
        Assert.Equal([a, b, c], three.Observers);
        Assert.Equal([a, b], two.Observers);
    }

    [Fact]
    public void WithRequestObserver_Null_IsRefused()
    {
        var runner = LoadTestRunner.RegisterScenarios(Scenario.Create("x", _ => Task.FromResult(Response.Ok())));
        Assert.Throws<ArgumentNullException>(() => runner.WithRequestObserver(null!));
    }

    private static Dictionary<string, long> Codes(IEnumerable<RequestSample> samples) =>
        samples.GroupBy(x => x.StatusCode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);

    private sealed class CollectingObserver(ConcurrentQueue<string>? order = null, string name = "") : IRequestObserver
    {
        public ConcurrentQueue<RequestSample> Samples { get; } = new();

        public void OnRequest(in RequestSample sample)
        {
            Samples.Enqueue(sample);
            order?.Enqueue(name);
        }
    }
}

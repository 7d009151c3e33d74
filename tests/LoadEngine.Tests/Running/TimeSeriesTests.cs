using Microsoft.Extensions.Time.Testing;

namespace PaySim.LoadEngine.Tests.Running;

/// <summary>What each second of the time series holds beyond the scenario's counts: the target rate and every step's figures.</summary>
public sealed class TimeSeriesTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task OpenScenario_CarriesTheTargetRateOfEachSecond_AndAClosedOneNone()
    {
        var fake = new FakeTimeProvider();
        // 2 s ramping 0 → 20/s (5 then 15 asked for in seconds 1 and 2), then 2 s at 10/s.
        var open = Scenario.Create("open", _ => Task.FromResult(Response.Ok()))
            .WithLoadSimulations(LoadSimulation.RampingInject(20, Second, TimeSpan.FromSeconds(2)), LoadSimulation.Inject(10, Second, TimeSpan.FromSeconds(2)));
        var closed = Scenario.Create("closed", async ctx =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), ctx.TimeProvider, ctx.CancellationToken);
                return Response.Ok();
            })
            .WithLoadSimulations(LoadSimulation.KeepConstant(1, TimeSpan.FromSeconds(4)));

        var run = LoadTestRunner.RegisterScenarios(open, closed).WithTimeProvider(fake).WithProgress(false).RunAsync();
        await FakeClock.DriveAsync(fake, run, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(20));
        var result = await run;

        var targets = result.TimeSeries.Where(p => p.Scenario == "open" && p.Second <= 4).OrderBy(p => p.Second).Select(p => p.TargetRps).ToArray();
        Assert.Equal(4, targets.Length);
        Assert.All(targets, t => Assert.NotNull(t));
        Assert.Equal([5.0, 15.0, 10.0, 10.0], targets.Select(t => Math.Round(t!.Value, 1)));
        Assert.All(result.TimeSeries.Where(p => p.Scenario == "closed"), p => Assert.Null(p.TargetRps));
        // What was asked for was started: the targets add up to the iterations of the run.
        Assert.Equal(40, result.GetScenario("open").Ok);
    }

    [Theory]
    [InlineData(200, 3)]    // the last iteration completes 0.1 s after the 3 s tick: a sliver, folded into second 3 (was a row "4" at 1 per 0.1 s)
    [InlineData(700, 4)]    // 0.6 s after it: its own row, the next second after the last full one, its rate over 0.6 s
    [InlineData(1300, 4)]   // 1.2 s after the 3 s tick, 0.2 s after the 4 s one: folded into second 4 (was a row "5")
    public async Task TheClosingRow_IsTheNextSecond_ItsRateOverItsRealSpan_AndASliverIsFoldedIn(int iterationMs, int lastSecond)
    {
        var fake = new FakeTimeProvider();
        var scenario = Scenario.Create("pay", async ctx =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(iterationMs), ctx.TimeProvider, ctx.CancellationToken);
                return Response.Ok();
            })
            .WithLoadSimulations(LoadSimulation.Inject(10, Second, TimeSpan.FromSeconds(3)));

        var run = LoadTestRunner.RegisterScenarios(scenario).WithTimeProvider(fake).WithProgress(false).RunAsync();
        await FakeClock.DriveAsync(fake, run, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(20));
        var result = await run;

        var points = result.TimeSeries.Where(p => p.Scenario == "pay").OrderBy(p => p.Second).ToArray();
        Assert.Equal(Enumerable.Range(1, lastSecond), points.Select(p => p.Second));
        Assert.Equal(result.GetScenario("pay").Ok, points.Sum(p => p.Ok));
        Assert.Equal(30, points.Sum(p => p.Requests));
        var last = points[^1];
        // The last iteration starts at 2.9 s; the closing row ends when it completes.
        Assert.InRange(last.ElapsedS, 2.9 + (iterationMs / 1000.0) - 0.05, 2.9 + (iterationMs / 1000.0) + 0.1);

        // No spike: 10/s asked, and no row reads more than 10 per second of its span (plus one iteration of jitter).
        var before = 0.0;
        foreach (var p in points)
        {
            Assert.True(p.Rps <= 12, $"second {p.Second}: {p.Rps}/s");
            Assert.Equal(Math.Round(p.Requests / (p.ElapsedS - before), 0), Math.Round(p.Rps, 0));
            before = p.ElapsedS;
        }
    }

    [Fact]
    public async Task EverySecond_HoldsEachStepThatCompletedInIt_AddingUpToTheStepsTotals()
    {
        var scenario = Scenario.Create("pay", async ctx =>
            {
                _ = await Step.Run("authorize", ctx, () => Task.FromResult(Response.Ok()));
                return await Step.Run("capture", ctx, () => Task.FromResult(ctx.InvocationNumber % 4 == 0 ? Response.Fail("DECLINED") : Response.Ok()));
            })
            .WithLoadSimulations(LoadSimulation.Inject(20, Second, TimeSpan.FromSeconds(2)));

        var result = await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false).RunAsync();

        var points = result.TimeSeries.Where(p => p.Scenario == "pay").ToArray();
        var summary = result.GetScenario("pay");
        foreach (var step in summary.Steps)
        {
            var seconds = points.SelectMany(p => p.Steps).Where(s => s.Name == step.Name).ToArray();
            Assert.Equal(step.Ok, seconds.Sum(s => s.Ok));
            Assert.Equal(step.Fail, seconds.Sum(s => s.Fail));
            Assert.All(seconds, s => Assert.Equal(s.Ok + s.Fail, s.Requests));
            Assert.All(seconds, s => Assert.True(s.Requests > 0 && s.P99Ms >= s.P50Ms && s.P50Ms > 0, $"{s}"));
        }

        Assert.Equal(["authorize", "capture"], points.SelectMany(p => p.Steps).Select(s => s.Name).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(10, summary.Steps.Single(s => s.Name == "capture").Fail);
        Assert.All(points, p => Assert.Equal(p.Steps.Select(s => s.Name).Order(StringComparer.Ordinal), p.Steps.Select(s => s.Name)));
    }
}

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

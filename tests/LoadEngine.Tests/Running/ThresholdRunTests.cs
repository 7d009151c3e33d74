namespace PaySim.LoadEngine.Tests.Running;

public sealed class ThresholdRunTests
{
    private static ScenarioProps TenPercentDeclined() =>
        Scenario.Create("pay", async ctx =>
            {
                var confirm = await Step.Run("confirm", ctx, () => Task.FromResult(
                    ctx.InvocationNumber % 10 == 0 ? Response.Fail("51", "insufficient funds") : Response.Ok("00")));
                return confirm;
            })
            .WithLoadSimulations(LoadSimulation.Iterations(2, 200));

    [Fact]
    public async Task Thresholds_PassAndFail_AsWritten()
    {
        var scenario = TenPercentDeclined().WithThresholds(
            "ok_rate >= 85%",
            "ok_rate >= 95%",
            "fail_count <= 20",
            "fail_count < 20",
            "step:confirm p95 < 10s",
            "step:confirm status[51] == 20",
            "dropped == 0",
            "step:missing p99 < 1s");

        var result = await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false).RunAsync();
        var byExpression = result.Summary.Claims.ToDictionary(c => c.Expression, c => c.Pass);

        Assert.True(byExpression["ok_rate >= 85%"]);
        Assert.False(byExpression["ok_rate >= 95%"]);
        Assert.True(byExpression["fail_count <= 20"]);
        Assert.False(byExpression["fail_count < 20"]);
        Assert.True(byExpression["step:confirm p95 < 10s"]);
        Assert.True(byExpression["step:confirm status[51] == 20"]);
        Assert.True(byExpression["dropped == 0"]);
        Assert.False(byExpression["step:missing p99 < 1s"]);
        Assert.Equal("90%", result.Summary.Claims.First(c => c.Expression == "ok_rate >= 95%").ObservedText);
        Assert.Equal("fail", result.Summary.Verdict);
    }

    [Fact]
    public async Task Thresholds_AllHolding_GiveAPassingVerdict()
    {
        var scenario = TenPercentDeclined().WithThresholds("ok_rate >= 90%", "fail <= 20");

        var result = await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false).RunAsync();

        Assert.Equal("pass", result.Summary.Verdict);
        Assert.True(result.Passed);
    }

    [Fact]
    public async Task AbortOnFail_StopsTheRunOnTheFirstFailingCheck()
    {
        var scenario = Scenario.Create("broken", async ctx =>
            {
                await Task.Delay(1, ctx.CancellationToken);
                return Response.Fail("UNAVAILABLE");
            })
            .WithThresholds(Threshold.Create("ok_rate >= 99%", abortOnFail: true, abortDelay: TimeSpan.FromSeconds(1)))
            .WithLoadSimulations(LoadSimulation.Inject(50, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20)));

        var result = await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false).RunAsync();

        Assert.Contains("ok_rate >= 99%", result.AbortReason, StringComparison.Ordinal);
        Assert.InRange(result.Summary.DurationS, 0.9, 5);
        Assert.Equal("fail", result.Summary.Verdict);
        Assert.Equal(result.GetScenario("broken").Fail, result.GetScenario("broken").StatusCodes["UNAVAILABLE"]);
    }

    [Fact]
    public async Task LiveCheck_SeesTheCumulativeSummaryAndStopsTheRunWithItsReason()
    {
        var scenario = Scenario.Create("broken", async ctx =>
            {
                await Task.Delay(1, ctx.CancellationToken);
                return Response.Fail("UNAVAILABLE");
            })
            .WithLoadSimulations(LoadSimulation.Inject(50, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)));
        var seen = new List<long>();

        var result = await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false)
            .WithLiveCheck((live, elapsed) =>
            {
                seen.Add(live.Scenarios.Sum(s => s.Fail));
                return elapsed >= TimeSpan.FromSeconds(2) && live.Scenarios.Sum(s => s.Fail) > 0 ? "the caller's check failed" : null;
            })
            .RunAsync();

        Assert.Equal("the caller's check failed", result.AbortReason);
        Assert.Equal("fail", result.Summary.Verdict);
        Assert.InRange(result.Summary.DurationS, 1.5, 15); // of 30 s planned: stopped, not run out
        Assert.True(seen.Count >= 2, "checked once a second");
        Assert.True(seen[^1] >= seen[0] && seen[^1] > 0, "the counts are the run's so far, not the last second's");
    }
}

namespace PaySim.LoadEngine.Tests.Reporting;

public sealed class RunSummaryMetricTests
{
    [Fact]
    public async Task GetMetric_LetsCallersClaimOverEngineStatistics_WithTheSameGrammar()
    {
        var scenario = Scenario.Create("pay", async ctx =>
                await Step.Run("confirm", ctx, () => Task.FromResult(ctx.InvocationNumber % 4 == 0 ? Response.Fail("51") : Response.Ok("00"))))
            .WithLoadSimulations(LoadSimulation.Iterations(1, 40));
        var summary = (await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false).RunAsync()).Summary;
        summary.Extra["duplicateCharges"] = 0;

        Assert.Equal(0.75, summary.GetMetric("scenario:pay/ok_rate"));
        Assert.Equal(10, summary.GetMetric("scenario:pay/step:confirm/status[51]"));
        Assert.Equal(0, summary.GetMetric("duplicateCharges"));
        Assert.Null(summary.GetMetric("scenario:nope/ok_rate"));

        var claim = summary.AddClaim("pay mostly ok", "scenario:pay ok_rate >= 70%", summary.GetMetric);
        Assert.True(claim.Pass);
        Assert.Equal("75%", claim.ObservedText);
        Assert.False(summary.AddClaim("no dupes", "duplicateCharges > 0", summary.GetMetric).Pass);
        Assert.Equal("fail", summary.Verdict);
    }
}

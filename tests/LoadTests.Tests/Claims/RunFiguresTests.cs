using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;

namespace PaySim.LoadTests.Tests.Claims;

public sealed class RunFiguresTests
{
    [Fact]
    public void Lookup_StepScope_MergesTheStepAcrossEveryScenarioThatRunsIt()
    {
        var summary = new RunSummary
        {
            Scenarios =
            [
                Scenario("payment", Step("pay", ok: 90, fail: 10, latencyMs: 10)),
                Scenario("refund", Step("pay", ok: 10, fail: 0, latencyMs: 1_000), Step("refund", ok: 10, fail: 0, latencyMs: 5)),
            ],
        };
        var figures = new RunFigures(summary);

        Assert.Equal(100, figures.Lookup("step:pay/ok"));
        Assert.Equal(10, figures.Lookup("step:pay/fail"));
        Assert.Equal(100.0 / 110, figures.Lookup("step:pay/ok_rate")!.Value, 9);
        // 10 of 110 samples are 1 s: the merged p95 is the slow one, neither scenario's alone.
        Assert.InRange(figures.Lookup("step:pay/p95")!.Value, 990, 1_010);
        Assert.InRange(figures.Lookup("scenario:payment/p95")!.Value, 9.9, 10.1);
        Assert.Null(figures.Lookup("step:bind_start/p99"));
    }

    [Fact]
    public void Lookup_BindFailureCauseThatNeverHappened_IsZeroButAnUnknownNodeShareHasNoValue()
    {
        var figures = new RunFigures(new RunSummary())
            .Set(ClaimMetrics.BindFailures, 3)
            .Set($"{ClaimMetrics.BindFailures}[phone_mismatch]", 3)
            .Set($"{ClaimMetrics.IssuerNodeShare}[issuer-1]", 0.5);

        Assert.Equal(3, figures.Lookup("bind_failures[phone_mismatch]"));
        Assert.Equal(0, figures.Lookup("bind_failures[issuer_unavailable]"));
        Assert.Equal(0.5, figures.Lookup("issuer_node_share[issuer-1]"));
        Assert.Null(figures.Lookup("issuer_node_share[issuer-9]"));
    }

    [Fact]
    public void Set_NaN_IsStoredAsNoValueSoTheClaimFails()
    {
        var figures = new RunFigures(new RunSummary()).Set(ClaimMetrics.IssuerJain, double.NaN);
        var result = Expression.Parse("issuer_jain_fairness >= 0.95").Evaluate(figures.Lookup);

        Assert.False(result.Pass);
        Assert.Null(result.Observed);
    }

    private static ScenarioSummary Scenario(string name, params StepSummary[] steps)
    {
        var merged = StatsLookup.Merge(name, steps);
        return new ScenarioSummary { Name = name, Ok = merged.Ok, Fail = merged.Fail, HistogramObject = merged.HistogramObject, Steps = [.. steps] };
    }

    private static StepSummary Step(string name, long ok, long fail, long latencyMs)
    {
        var histogram = HistogramCodec.CreateHistogram();
        for (var i = 0; i < ok + fail; i++)
        {
            histogram.RecordValue(latencyMs * 1000);
        }

        return new StepSummary { Name = name, Ok = ok, Fail = fail, HistogramObject = histogram, LatencyMs = LatencySummary.FromHistogram(histogram) };
    }
}

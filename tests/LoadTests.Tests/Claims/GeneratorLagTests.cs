using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;

namespace PaySim.LoadTests.Tests.Claims;

public sealed class GeneratorLagTests
{
    [Fact]
    public void LateSeconds_AreTheLaggingSecondsAndTheOnesAfter_WhereTheLateIterationsComplete()
    {
        var points = new[] { Point(1, 5), Point(2, 100), Point(3, 100.5), Point(4, 2), Point(5, 40), Point(6, 700), Point(7, 0) };

        // 100 ms is on time (the threshold is "more than"); 100.5 and 700 are late, and so are the seconds after them.
        Assert.Equal([3, 4, 6, 7], GeneratorLag.LateSeconds(points).Order());
    }

    [Fact]
    public void Warning_NamesTheWorstLagItsScenarioAndSecond_AndHowManySecondsWereLate()
    {
        var points = new[] { Point(1, 3), Point(2, 915.4), Point(2, 12, "refund"), Point(3, 180), Point(4, 1) };

        var warning = GeneratorLag.Warning(points);

        Assert.NotNull(warning);
        Assert.StartsWith("the load generator fell behind its schedule: it ran its work up to 915 ms late (scenario payment at 2 s; 2 of 4 s more than 100 ms late, first at 2 s).", warning, StringComparison.Ordinal);
        Assert.Contains("capacity steps do not judge them", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Warning_IsNull_WhenEveryIterationBeganWithin100Ms()
    {
        Assert.Null(GeneratorLag.Warning([Point(1, 0), Point(2, 99.9), Point(3, 100)]));
        Assert.Null(GeneratorLag.Warning([]));
    }

    [Fact]
    public void Annotate_AddsTheLagToFailedLatencyClaimsOnly()
    {
        var claims = new List<ClaimResult>
        {
            Claim("p99 < 250ms", pass: false),
            Claim("step:pay p95 < 300ms", pass: false, message: "scenario payment"),
            Claim("p99 < 2s", pass: true),
            Claim("success_rate >= 99%", pass: false),
            Claim("duplicate_charges == 0", pass: false),
            Claim("max_start_lag_ms < 100ms", pass: false),
            Claim("recovery_ms <= 3s", pass: false),
            Claim("fault_p99_ms[1] < 2s", pass: false),
            Claim("scenario:payment max < 1s", pass: false),
        };

        GeneratorLag.Annotate(claims, [Point(1, 4), Point(2, 640.6), Point(3, 120)]);

        const string Note = "the load generator ran its work up to 641 ms late; this latency includes that delay";
        Assert.Equal([Note, "scenario payment; " + Note, null, null, null, null, null, Note, Note], claims.Select(c => c.Message));
    }

    [Fact]
    public void Annotate_LeavesEveryClaimAlone_WhenTheGeneratorWasOnTime()
    {
        var claims = new List<ClaimResult> { Claim("p99 < 250ms", pass: false) };

        GeneratorLag.Annotate(claims, [Point(1, 100), Point(2, 3)]);
        GeneratorLag.Annotate(claims, []);

        Assert.Null(claims[0].Message);
    }

    [Fact]
    public void MaxStartLagMs_IsTheLatestStartOfAnyScenario_AndAClaimOnItJudgesTheHarness()
    {
        var run = new FigureRun
        {
            Summary = new RunSummary
            {
                Scenarios = [new ScenarioSummary { Name = "payment", MaxStartLagMs = 12.5 }, new ScenarioSummary { Name = "refund", MaxStartLagMs = 240 }],
            },
        };
        var figures = new RunFigures(run.Summary);
        FigureCatalog.Owner(ClaimMetrics.MaxStartLagMs)!.Compute(run, figures);

        Assert.Equal(240, figures.Lookup(ClaimMetrics.MaxStartLagMs));
        var claim = ClaimMetrics.Judge("starved", "max_start_lag_ms < 100ms", figures.Lookup);
        Assert.False(claim.Pass);
        Assert.Equal("240ms", claim.ObservedText);

        var none = new RunFigures(new RunSummary());
        FigureCatalog.Owner(ClaimMetrics.MaxStartLagMs)!.Compute(new FigureRun { Summary = new RunSummary() }, none);
        Assert.Null(none.Lookup(ClaimMetrics.MaxStartLagMs));
    }

    private static ClaimResult Claim(string expression, bool pass, string? message = null) =>
        new() { Name = expression, Expression = expression, Pass = pass, Message = message };

    private static TimeSeriesPoint Point(int second, double lagMs, string scenario = "payment") =>
        new() { Second = second, Scenario = scenario, Requests = 10, Ok = 10, Rps = 10, MaxStartLagMs = lagMs };
}

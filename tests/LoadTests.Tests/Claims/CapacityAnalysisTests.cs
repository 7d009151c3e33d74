using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;

namespace PaySim.LoadTests.Tests.Claims;

public sealed class CapacityAnalysisTests
{
    private static readonly LoadSimulation[] Steps =
    [
        LoadSimulation.Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)),
        LoadSimulation.Inject(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)),
        LoadSimulation.Inject(40, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)),
    ];

    [Fact]
    public void Analyse_WhenTheThirdStepBreaksP99_ReportsTheSecondStepsRateAsTheKnee()
    {
        var points = Points(s => s <= 10 ? 50 : 900);
        var (steps, knee, reached) = CapacityAnalysis.Analyse(Steps, points, [Expression.Parse("p99 < 250ms")]);

        Assert.Equal(20, knee);
        Assert.True(reached);
        Assert.Equal([true, true, false], steps.Select(s => s.Pass));
    }

    [Fact]
    public void Analyse_OneSlowSecondInAStep_IsForgivenAsABlip()
    {
        var points = Points(s => s == 13 ? 2_000 : 50);
        var (_, knee, reached) = CapacityAnalysis.Analyse(Steps, points, [Expression.Parse("p99 < 250ms")]);

        Assert.Equal(40, knee);
        Assert.False(reached);
    }

    [Fact]
    public void Analyse_WhenTheFirstStepAlreadyFails_TheKneeIsZero()
    {
        var (_, knee, reached) = CapacityAnalysis.Analyse(Steps, Points(_ => 50, okShare: 0.5), [Expression.Parse("ok_rate >= 99%")]);

        Assert.Equal(0, knee);
        Assert.True(reached);
    }

    [Fact]
    public void Analyse_TwoSlowSecondsWhileTheGeneratorWasLate_AreNotJudged()
    {
        // Seconds 2 and 3 of the first step are slow because the harness began its iterations ~900 ms late (a starved
        // machine): two slow seconds are more than one blip, but neither is the target's.
        var slow = Points(s => s is 2 or 3 ? 950 : 50, lagMs: s => s == 2 ? 900 : 1);
        var (steps, knee, reached) = CapacityAnalysis.Analyse(Steps, slow, [Expression.Parse("p99 < 250ms")]);
        Assert.Equal([true, true, true], steps.Select(s => s.Pass));
        Assert.Equal(2, steps[0].LateSeconds);
        Assert.Equal(50, steps[0].P99Ms);
        Assert.Equal(40, knee);
        Assert.False(reached);

        // The same seconds with the generator on time are the target's: the first step fails.
        var (_, onTimeKnee, onTimeReached) = CapacityAnalysis.Analyse(Steps, Points(s => s is 2 or 3 ? 950 : 50), [Expression.Parse("p99 < 250ms")]);
        Assert.Equal(0, onTimeKnee);
        Assert.True(onTimeReached);
    }

    [Fact]
    public void Analyse_AStepWithOnlyLateSeconds_IsNotJudged_AndNeitherRaisesNorLowersTheKnee()
    {
        // First step late throughout: not judged, the knee comes from the others.
        var (steps, knee, reached) = CapacityAnalysis.Analyse(Steps, Points(s => s <= 5 ? 950 : 50, lagMs: s => s <= 5 ? 500 : 0), [Expression.Parse("p99 < 250ms")]);
        Assert.Equal([null, true, true], steps.Select(s => s.Pass));
        Assert.Null(steps[0].P99Ms);
        Assert.Equal(4, steps[0].LateSeconds);
        Assert.Equal(40, knee);
        Assert.False(reached);

        // Last step late throughout: the knee stays at the last judged step; an unjudged 40/s proves nothing.
        var (_, lastKnee, lastReached) = CapacityAnalysis.Analyse(Steps, Points(_ => 50, lagMs: s => s >= 11 ? 500 : 0), [Expression.Parse("p99 < 250ms")]);
        Assert.Equal(20, lastKnee);
        Assert.False(lastReached);

        // A late step between a passing and a failing one: the knee is the passing step below it.
        var (_, midKnee, midReached) = CapacityAnalysis.Analyse(Steps, Points(s => s > 10 ? 900 : 50, lagMs: s => s is > 5 and <= 10 ? 500 : 0), [Expression.Parse("p99 < 250ms")]);
        Assert.Equal(10, midKnee);
        Assert.True(midReached);
    }

    [Fact]
    public void Analyse_WhenEveryStepIsLate_HasNoKnee()
    {
        var (steps, knee, reached) = CapacityAnalysis.Analyse(Steps, Points(_ => 50, lagMs: _ => 300), [Expression.Parse("p99 < 250ms")]);
        Assert.All(steps, s => Assert.Null(s.Pass));
        Assert.Null(knee);
        Assert.False(reached);
    }

    /// <summary>15 one-second points (engine seconds 1..15) with the given p99 and generator start lag per second.</summary>
    private static List<TimeSeriesPoint> Points(Func<int, double> p99, double okShare = 1, Func<int, double>? lagMs = null)
    {
        var list = new List<TimeSeriesPoint>();
        for (var second = 1; second <= 15; second++)
        {
            var ok = (long)(20 * okShare);
            list.Add(new TimeSeriesPoint { Second = second, Scenario = "payment", Requests = 20, Ok = ok, Fail = 20 - ok, Rps = 20, P50Ms = 10, P99Ms = p99(second), MaxStartLagMs = lagMs?.Invoke(second) ?? 0 });
        }

        return list;
    }
}

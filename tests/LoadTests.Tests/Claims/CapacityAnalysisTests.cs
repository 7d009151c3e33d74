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

    /// <summary>15 one-second points (engine seconds 1..15) with the given p99 per second.</summary>
    private static List<TimeSeriesPoint> Points(Func<int, double> p99, double okShare = 1)
    {
        var list = new List<TimeSeriesPoint>();
        for (var second = 1; second <= 15; second++)
        {
            var ok = (long)(20 * okShare);
            list.Add(new TimeSeriesPoint { Second = second, Scenario = "payment", Requests = 20, Ok = ok, Fail = 20 - ok, Rps = 20, P50Ms = 10, P99Ms = p99(second) });
        }

        return list;
    }
}

using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;

namespace PaySim.LoadTests.Tests.Claims;

/// <summary>p99_drift: the median per-second p99 of the last fifth over the first, after the warm-up.</summary>
public sealed class P99DriftTests
{
    private static TimeSeriesPoint[] Series(params double[] p99s) =>
        p99s.Select((p, i) => new TimeSeriesPoint { Second = i + 1, Scenario = "journey", Requests = 10, Ok = 10, P99Ms = p }).ToArray();

    [Fact]
    public void OneStalledSecondInTheLastFifth_IsNoDrift()
    {
        // 20 seconds, fifths of 4: the last fifth has one 900 ms second among 10 ms ones.
        var series = Series([10, 10, 10, 10, .. Enumerable.Repeat(10.0, 12), 10, 900, 10, 10]);

        Assert.Equal(1.0, FigureCatalog.P99Drift(series, TimeSpan.Zero));
    }

    [Fact]
    public void ASustainedRise_IsTheRatioOfTheFifthsMedians()
    {
        var series = Series([10, 12, 10, 8, .. Enumerable.Repeat(15.0, 12), 30, 40, 30, 50]);

        // first fifth median (10 + 10) / 2 = 10, last fifth median (30 + 40) / 2 = 35.
        Assert.Equal(3.5, FigureCatalog.P99Drift(series, TimeSpan.Zero));
    }

    [Fact]
    public void TheWarmUpAndEmptySeconds_AreLeftOut_AndFewerThanFiveSecondsHaveNoFigure()
    {
        var series = Series([500, 500, 10, 10, 10, 10, 10, 20, 20]);
        series[5] = series[5] with { Requests = 0, P99Ms = 0 };

        // After a 2 s warm-up: 10, 10, 10, (empty), 10, 20, 20 → 6 seconds, fifths of 1: 10 then 20.
        Assert.Equal(2.0, FigureCatalog.P99Drift(series, TimeSpan.FromSeconds(2)));
        Assert.Null(FigureCatalog.P99Drift(Series(10, 10, 10, 10), TimeSpan.Zero));
    }
}

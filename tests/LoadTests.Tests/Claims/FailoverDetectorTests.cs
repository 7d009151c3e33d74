using PaySim.LoadTests.Claims;

namespace PaySim.LoadTests.Tests.Claims;

public sealed class FailoverDetectorTests
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    [Fact]
    public void Analyse_NodeLostAtTenSecondsWithErrorsForThreeSeconds_DetectsAtOnceAndRecoversInThree()
    {
        // 20 iterations a second; the fault starts at 10.0 s; seconds 10, 11, 12 have errors, 13 on are clean.
        var series = Series(20, (10, 7), (11, 5), (12, 2));
        var result = FailoverDetector.Analyse(series, WarmUp, TimeSpan.FromSeconds(10), [(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20))]);

        Assert.True(result.Impacted);
        Assert.True(result.Recovered);
        Assert.Equal(0, result.DetectMs);
        Assert.Equal(3000, result.RecoverMs);
        Assert.Equal(14, result.ErrorsDuringFault);
        Assert.Equal(0, result.BaselineErrorRate);
    }

    [Fact]
    public void Analyse_FaultAtTenPointFiveWithFirstErrorsInSecondTwelve_DetectsAfterOnePointFiveSeconds()
    {
        var series = Series(20, (12, 4), (13, 4));
        var result = FailoverDetector.Analyse(series, WarmUp, TimeSpan.FromSeconds(10.5), [(TimeSpan.FromSeconds(10.5), TimeSpan.FromSeconds(15))]);

        Assert.Equal(1500, result.DetectMs);
        Assert.Equal(2000, result.RecoverMs);
    }

    [Fact]
    public void Analyse_ErrorsThatNeverStop_RecoverOnlyAtTheEndOfTheSeries()
    {
        var errors = Enumerable.Range(10, 20).Select(s => (s, 6L)).ToArray();
        var series = Series(18, errors);
        var result = FailoverDetector.Analyse(series, WarmUp, TimeSpan.FromSeconds(10), [(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30))]);

        Assert.False(result.Recovered);
        Assert.Equal(0, result.DetectMs);
        Assert.Equal(20_000, result.RecoverMs);
        Assert.Equal(120, result.ErrorsDuringFault);
    }

    [Fact]
    public void Analyse_ErrorsAtTheBaselineRate_AreNotTheFaultsDoing()
    {
        // One error in twenty every second before and during the fault: 5% baseline, nothing above it.
        var errors = Enumerable.Range(0, 30).Select(s => (s, 1L)).ToArray();
        var result = FailoverDetector.Analyse(Series(20, errors), WarmUp, TimeSpan.FromSeconds(10), [(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20))]);

        Assert.False(result.Impacted);
        Assert.Equal(0.05, result.BaselineErrorRate, 9);
        Assert.Equal(0, result.RecoverMs);
    }

    [Fact]
    public void Analyse_OneCleanSecondInsideAnOutage_DoesNotCountAsRecovered()
    {
        var series = Series(20, (10, 5), (11, 0), (12, 5), (13, 5));
        var result = FailoverDetector.Analyse(series, WarmUp, TimeSpan.FromSeconds(10), [(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(14))]);

        Assert.Equal(4000, result.RecoverMs);
    }

    /// <summary>30 seconds of <paramref name="perSecond"/> iterations, with the given failures in the given seconds.</summary>
    private static List<SecondSample> Series(int perSecond, params (int Second, long Fail)[] failures)
    {
        var list = new List<SecondSample>();
        for (var s = 0; s < 30; s++)
        {
            var fail = failures.Where(f => f.Second == s).Sum(f => f.Fail);
            list.Add(new SecondSample(s, perSecond - fail, fail));
        }

        return list;
    }
}

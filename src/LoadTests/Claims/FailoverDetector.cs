namespace PaySim.LoadTests.Claims;

/// <summary>Reads failover and recovery times off the per-second series around a fault (1 s resolution).</summary>
internal static class FailoverDetector
{
    /// <summary>A second is degraded when its error rate exceeds the baseline by more than this.</summary>
    public const double Tolerance = 0.01;

    /// <param name="series">Per-second samples from the start of the run, in order.</param>
    /// <param name="measureFrom">Start of the measured part (after warm-up): the baseline is taken from there up to the fault.</param>
    /// <param name="faultStart">When the first fault began.</param>
    /// <param name="windows">Every fault window, for counting the errors inside them.</param>
    public static FailoverResult Analyse(IReadOnlyList<SecondSample> series, TimeSpan measureFrom, TimeSpan faultStart, IReadOnlyList<(TimeSpan Start, TimeSpan End)> windows)
    {
        var faultSecond = (int)Math.Floor(faultStart.TotalSeconds);
        var fromSecond = (int)Math.Ceiling(measureFrom.TotalSeconds);
        long baseOk = 0, baseFail = 0;
        foreach (var s in series)
        {
            if (s.Second >= fromSecond && s.Second < faultSecond)
            {
                baseOk += s.Ok;
                baseFail += s.Fail;
            }
        }

        var baseline = baseOk + baseFail == 0 ? 0 : (double)baseFail / (baseOk + baseFail);
        var errorsDuringFault = series
            .Where(s => windows.Any(w => s.Second + 1 > w.Start.TotalSeconds && s.Second < w.End.TotalSeconds))
            .Sum(s => s.Fail);

        // Seconds with no finished iteration say nothing; they keep the state of the second before.
        var degraded = new bool[series.Count];
        var previous = false;
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            degraded[i] = s.Count == 0 ? previous : s.Fail > 0 && s.ErrorRate > baseline + Tolerance;
            previous = degraded[i];
        }

        var first = -1;
        for (var i = 0; i < series.Count; i++)
        {
            if (series[i].Second >= faultSecond && degraded[i] && series[i].Count > 0)
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            return new FailoverResult(0, 0, Impacted: false, Recovered: true, baseline, errorsDuringFault);
        }

        var detectMs = Math.Max(0, series[first].Second * 1000.0 - faultStart.TotalMilliseconds);
        for (var i = first + 1; i < series.Count; i++)
        {
            var clean = !degraded[i] && (i + 1 >= series.Count || !degraded[i + 1]);
            if (clean)
            {
                return new FailoverResult(detectMs, (series[i].Second - series[first].Second) * 1000.0, Impacted: true, Recovered: true, baseline, errorsDuringFault);
            }
        }

        var end = series[^1].Second + 1;
        return new FailoverResult(detectMs, (end - series[first].Second) * 1000.0, Impacted: true, Recovered: false, baseline, errorsDuringFault);
    }
}

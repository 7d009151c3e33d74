using System.Diagnostics;
using HdrHistogram;

namespace PaySim.Benchmarks.Tools;

/// <summary>One per worker (no sharing, no locks); merged once at the end.</summary>
internal sealed class LatencyRecorder
{
    // 1 µs to 1 h at 3 significant digits, the engine's own resolution.
    private const long OneHourMicros = 3_600_000_000L;

    private readonly LongHistogram _histogram = new(OneHourMicros, 3);

    public long Ok { get; private set; }

    public long Fail { get; private set; }

    public void RecordOk(long startTimestamp, long endTimestamp)
    {
        Ok++;
        _histogram.RecordValue(Math.Max(1, (endTimestamp - startTimestamp) * 1_000_000 / Stopwatch.Frequency));
    }

    public void RecordFail() => Fail++;

    public static LoadResult Merge(string tool, IEnumerable<LatencyRecorder> recorders, TimeSpan measured)
    {
        var all = new LongHistogram(OneHourMicros, 3);
        long ok = 0, fail = 0;
        foreach (var r in recorders)
        {
            all.Add(r._histogram);
            ok += r.Ok;
            fail += r.Fail;
        }

        return new LoadResult(
            tool,
            Rps: ok / measured.TotalSeconds,
            Ok: ok,
            Fail: fail,
            Dropped: 0,
            Seconds: measured.TotalSeconds,
            P50Ms: ok == 0 ? 0 : all.GetValueAtPercentile(50) / 1000.0,
            P99Ms: ok == 0 ? 0 : all.GetValueAtPercentile(99) / 1000.0);
    }
}

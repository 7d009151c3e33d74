using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using HdrHistogram;

namespace PaySim.LoadEngine.Statistics;

/// <summary>
/// Counts and latencies of one scenario or step. Writers (any thread) touch only a Recorder and
/// Interlocked counters; the single snapshot thread swaps interval histograms out once a second
/// and folds them into the cumulative one, so the hot path never locks and never sorts.
/// </summary>
internal class StatsCollector
{
    private readonly Recorder _recorder = new(
        HistogramCodec.LowestMicros,
        HistogramCodec.HighestMicros,
        HistogramCodec.SignificantDigits,
        static (id, low, high, digits) => new LongConcurrentHistogram(id, low, high, digits));

    private readonly ConcurrentDictionary<string, StrongBox<long>> _codes = new(StringComparer.Ordinal);
    private HistogramBase? _recycle;
    private long _ok;
    private long _fail;
    private long _bytes;
    private long _lastOk;
    private long _lastFail;

    public StatsCollector(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>Everything folded in by <see cref="TakeInterval"/> so far. Only the snapshot thread touches it.</summary>
    public HistogramBase Total { get; } = HistogramCodec.CreateHistogram();

    public long Ok => Volatile.Read(ref _ok);

    public long Fail => Volatile.Read(ref _fail);

    public long Bytes => Volatile.Read(ref _bytes);

    public void Record(in Response response, long micros)
    {
        _recorder.RecordValue(Math.Clamp(micros, HistogramCodec.LowestMicros, HistogramCodec.HighestMicros));
        if (response.IsOk)
        {
            Interlocked.Increment(ref _ok);
        }
        else
        {
            Interlocked.Increment(ref _fail);
        }

        if (response.SizeBytes != 0)
        {
            Interlocked.Add(ref _bytes, response.SizeBytes);
        }

        var code = response.EffectiveStatusCode;
        if (!_codes.TryGetValue(code, out var box))
        {
            box = _codes.GetOrAdd(code, static _ => new StrongBox<long>());
        }

        Interlocked.Increment(ref box.Value);
    }

    /// <summary>Swaps out the interval histogram, adds it to <see cref="Total"/>, and returns interval figures.</summary>
    public IntervalFigures TakeInterval()
    {
        var interval = _recycle is null ? _recorder.GetIntervalHistogram() : _recorder.GetIntervalHistogram(_recycle);
        Total.Add(interval);
        _recycle = interval;
        var ok = Ok;
        var fail = Fail;
        var figures = new IntervalFigures(
            ok - _lastOk,
            fail - _lastFail,
            HistogramMath.PercentileMs(interval, 50),
            HistogramMath.PercentileMs(interval, 99));
        _lastOk = ok;
        _lastFail = fail;
        return figures;
    }

    public Dictionary<string, long> StatusCodes() =>
        _codes.OrderByDescending(kv => Volatile.Read(ref kv.Value.Value)).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(kv => kv.Key, kv => Volatile.Read(ref kv.Value.Value), StringComparer.Ordinal);

    public void Fill(StepSummary target, double durationS, IReadOnlyList<double> percentiles, bool encode)
    {
        target.Name = Name;
        target.Ok = Ok;
        target.Fail = Fail;
        target.Bytes = Bytes;
        target.DurationS = Math.Round(durationS, 3);
        target.Rps = durationS > 0 ? Math.Round((target.Ok + target.Fail) / durationS, 3) : 0;
        target.LatencyMs = LatencySummary.FromHistogram(Total, percentiles);
        target.StatusCodes = StatusCodes();
        target.HistogramObject = Total;
        target.Histogram = encode ? HistogramCodec.Encode(Total) : string.Empty;
    }
}

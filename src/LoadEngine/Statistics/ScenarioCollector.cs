using System.Collections.Concurrent;

namespace PaySim.LoadEngine.Statistics;

/// <summary>A scenario's statistics: its own, its steps', and the open model's dropped count.</summary>
internal sealed class ScenarioCollector(string name) : StatsCollector(name)
{
    private readonly ConcurrentDictionary<string, StatsCollector> _steps = new(StringComparer.Ordinal);
    private long _dropped;
    private long _lastDropped;
    private long _maxStartLagMicros;
    private long _intervalMaxStartLagMicros;

    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>The generator's own delay, in µs: the latest an open-model iteration began after its intended start, or the longest the harness's thread pool kept the dispatch probe waiting while this scenario measured.</summary>
    public long MaxStartLagMicros => Volatile.Read(ref _maxStartLagMicros);

    public IEnumerable<StatsCollector> Steps => _steps.Values;

    public void AddDropped() => Interlocked.Increment(ref _dropped);

    public StatsCollector GetStep(string stepName) =>
        _steps.TryGetValue(stepName, out var s) ? s : _steps.GetOrAdd(stepName, static n => new StatsCollector(n));

    /// <summary>How late an open-model iteration began against its intended start, or how long the dispatch probe waited; only the largest is kept.</summary>
    public void RecordStartLag(long micros)
    {
        RaiseTo(ref _intervalMaxStartLagMicros, micros);
        RaiseTo(ref _maxStartLagMicros, micros);
    }

    /// <summary>The largest start lag since the last call, in µs (0 when every iteration began on time or none began).</summary>
    public long TakeStartLagInterval() => Interlocked.Exchange(ref _intervalMaxStartLagMicros, 0);

    private static void RaiseTo(ref long slot, long value)
    {
        var seen = Volatile.Read(ref slot);
        while (value > seen)
        {
            var was = Interlocked.CompareExchange(ref slot, value, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }

    public long TakeDroppedDelta()
    {
        var d = Dropped;
        var delta = d - _lastDropped;
        _lastDropped = d;
        return delta;
    }

    /// <summary>Takes every step's interval; returns the steps that completed at least once in it, by name.</summary>
    public IReadOnlyList<StepPoint> TakeStepIntervals()
    {
        List<StepPoint>? points = null;
        foreach (var s in _steps.Values)
        {
            var f = s.TakeInterval();
            if (f.Ok + f.Fail > 0)
            {
                (points ??= []).Add(new StepPoint { Name = s.Name, Requests = f.Ok + f.Fail, Ok = f.Ok, Fail = f.Fail, P50Ms = f.P50Ms, P99Ms = f.P99Ms });
            }
        }

        if (points is null)
        {
            return [];
        }

        points.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return points;
    }

    public ScenarioSummary ToSummary(double durationS, IReadOnlyList<double> percentiles, bool encode)
    {
        var summary = new ScenarioSummary { Dropped = Dropped, MaxStartLagMs = MaxStartLagMicros / 1000.0 };
        Fill(summary, durationS, percentiles, encode);
        foreach (var step in _steps.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var stepSummary = new StepSummary();
            step.Fill(stepSummary, durationS, percentiles, encode);
            summary.Steps.Add(stepSummary);
        }

        return summary;
    }
}

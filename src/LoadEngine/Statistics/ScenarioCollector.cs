using System.Collections.Concurrent;

namespace PaySim.LoadEngine.Statistics;

/// <summary>A scenario's statistics: its own, its steps', and the open model's dropped count.</summary>
internal sealed class ScenarioCollector(string name) : StatsCollector(name)
{
    private readonly ConcurrentDictionary<string, StatsCollector> _steps = new(StringComparer.Ordinal);
    private long _dropped;
    private long _lastDropped;

    public long Dropped => Volatile.Read(ref _dropped);

    public IEnumerable<StatsCollector> Steps => _steps.Values;

    public void AddDropped() => Interlocked.Increment(ref _dropped);

    public StatsCollector GetStep(string stepName) =>
        _steps.TryGetValue(stepName, out var s) ? s : _steps.GetOrAdd(stepName, static n => new StatsCollector(n));

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
        var summary = new ScenarioSummary { Dropped = Dropped };
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

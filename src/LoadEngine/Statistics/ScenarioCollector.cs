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

    public void TakeStepIntervals()
    {
        foreach (var s in _steps.Values)
        {
            s.TakeInterval();
        }
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

using Prometheus;

namespace PaySim.Simulator.Observability;

/// <summary>
/// A Prometheus counter fed from a stats figure that a <c>/v1/reset</c> sets back to zero: growth is added as is;
/// a figure lower than last time means a reset happened, so everything counted since then is added. The exported
/// counter therefore never goes down, as Prometheus requires of a counter.
/// </summary>
internal sealed class MonotonicCounter(Counter family)
{
    private readonly Dictionary<string, long> _last = new(StringComparer.Ordinal);

    public void Observe(long figure, params string[] labels)
    {
        var key = string.Join('\u0001', labels);
        var last = _last.GetValueOrDefault(key);
        var series = family.WithLabels(labels);
        series.Inc(figure >= last ? figure - last : figure);
        _last[key] = figure;
    }
}

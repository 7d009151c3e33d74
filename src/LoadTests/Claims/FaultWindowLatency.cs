using PaySim.LoadEngine;

namespace PaySim.LoadTests.Claims;

/// <summary>
/// How long each fault held calls: the worst per-second p99 of the iterations that finished from a fault window's
/// start until <c>tail</c> after its end (a stalled call finishes when the fault ends or the app's timeout cuts it).
/// </summary>
internal static class FaultWindowLatency
{
    public static double? WorstP99Ms(IReadOnlyList<TimeSeriesPoint> points, (TimeSpan Start, TimeSpan End) window, TimeSpan tail)
    {
        var from = window.Start.TotalSeconds;
        var to = (window.End + tail).TotalSeconds;
        var inside = points.Where(p => p.Requests > 0 && p.Second > from && p.Second - 1 < to).ToArray();
        return inside.Length == 0 ? null : inside.Max(p => p.P99Ms);
    }
}

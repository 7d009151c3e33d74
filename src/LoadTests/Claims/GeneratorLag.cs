using System.Globalization;
using PaySim.LoadEngine;

namespace PaySim.LoadTests.Claims;

/// <summary>
/// The load generator's own delay (the engine's <c>maxStartLagMs</c>). When the machine running the harness is starved
/// (a busy CI box, the embedded target on the same cores), open-model iterations begin after their intended start, from
/// which their latency counts, and in either model the continuations after the target's replies wait for a thread: the
/// latency then includes the harness's delay, not only the target's. A second is <em>late</em> when the generator was
/// more than <see cref="LateMs"/> late in it, or in the second before (a late iteration's latency lands when it
/// completes).
/// </summary>
internal static class GeneratorLag
{
    /// <summary>The start lag above which the generator, not the target, was behind (the dispatcher wakes every 1 ms).</summary>
    public const double LateMs = 100;

    /// <summary>How the warning begins: tests and scripts tell it from the plan's own warnings by it.</summary>
    public const string WarningStart = "the load generator fell behind its schedule";

    /// <summary>The engine seconds (1-based, as in <see cref="TimeSeriesPoint.Second"/>) of <paramref name="points"/> that are late.</summary>
    public static HashSet<int> LateSeconds(IEnumerable<TimeSeriesPoint> points)
    {
        var lagging = points.Where(p => p.MaxStartLagMs > LateMs).Select(p => p.Second).ToHashSet();
        var late = new HashSet<int>(lagging);
        foreach (var s in lagging)
        {
            late.Add(s + 1);
        }

        return late;
    }

    /// <summary>
    /// Adds to each failed latency claim (the engine's latency metrics, of the run, a scenario or a step: p99, max,
    /// step:pay p95 …; and a fault window's fault_p99_ms[N]) that the generator was late, and by how much, so the
    /// verdict does not pin on the target a delay that may be the harness's. Claims that passed, and claims of
    /// counts, rates, money and recovery times (which count error seconds), are left as they are.
    /// </summary>
    public static void Annotate(IEnumerable<ClaimResult> claims, IReadOnlyList<TimeSeriesPoint> points)
    {
        var worst = points.Count == 0 ? 0 : points.Max(p => p.MaxStartLagMs);
        if (worst <= LateMs)
        {
            return;
        }

        var note = string.Create(CultureInfo.InvariantCulture, $"the load generator ran its work up to {worst:0} ms late; this latency includes that delay");
        foreach (var claim in claims)
        {
            if (!claim.Pass && Expression.TryParse(claim.Expression, out var e, out _)
                && (Expression.IsLatencyMetric(e.Metric) || e.Metric.StartsWith(ClaimMetrics.FaultP99Ms, StringComparison.Ordinal)))
            {
                claim.Message = claim.Message is null ? note : $"{claim.Message}; {note}";
            }
        }
    }

    /// <summary>One warning line when the generator began any iteration late, else null.</summary>
    public static string? Warning(IReadOnlyList<TimeSeriesPoint> points)
    {
        var lagging = points.Where(p => p.MaxStartLagMs > LateMs).ToArray();
        if (lagging.Length == 0)
        {
            return null;
        }

        var worst = lagging.MaxBy(p => p.MaxStartLagMs)!;
        var seconds = lagging.Select(p => p.Second).Distinct().Order().ToArray();
        var runSeconds = points.Select(p => p.Second).Distinct().Count();
        return string.Create(CultureInfo.InvariantCulture,
            $"{WarningStart}: it ran its work up to {worst.MaxStartLagMs:0} ms late (scenario {worst.Scenario} at {worst.Second} s; {seconds.Length} of {runSeconds} s more than {LateMs:0} ms late, first at {seconds[0]} s). The latency of those seconds includes the harness's own delay; capacity steps do not judge them. Give the harness more CPU, or run the target on other cores.");
    }
}

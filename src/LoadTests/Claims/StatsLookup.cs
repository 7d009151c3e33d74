using HdrHistogram;
using PaySim.LoadEngine;

namespace PaySim.LoadTests.Claims;

/// <summary>
/// The engine's statistic names over one step or scenario summary (the engine's own lookup), and merging of same-named steps
/// across scenarios (the "pay" step runs in payment, refund and journey; a claim on step:pay means all).
/// </summary>
internal static class StatsLookup
{
    public static double? Lookup(StepSummary s, string metric, long dropped) => s.GetStat(metric, dropped);

    /// <summary>One summary for every step named <paramref name="name"/>, whichever scenario ran it.</summary>
    public static StepSummary? MergeSteps(IEnumerable<ScenarioSummary> scenarios, string name)
    {
        var steps = scenarios.SelectMany(s => s.Steps).Where(s => s.Name == name).ToArray();
        return steps.Length switch
        {
            0 => null,
            1 => steps[0],
            _ => Merge(name, steps),
        };
    }

    public static StepSummary Merge(string name, IReadOnlyList<StepSummary> parts)
    {
        var histograms = parts.Select(p => p.HistogramObject).OfType<HistogramBase>().ToArray();
        var merged = histograms.Length == 0 ? null : HistogramCodec.Merge(histograms);
        var codes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (code, n) in parts.SelectMany(p => p.StatusCodes))
        {
            codes[code] = codes.GetValueOrDefault(code) + n;
        }

        var result = new StepSummary
        {
            Name = name,
            Ok = parts.Sum(p => p.Ok),
            Fail = parts.Sum(p => p.Fail),
            Rps = parts.Sum(p => p.Rps),
            Bytes = parts.Sum(p => p.Bytes),
            DurationS = parts.Max(p => p.DurationS),
            StatusCodes = codes,
            HistogramObject = merged,
        };
        if (merged is { TotalCount: > 0 })
        {
            result.LatencyMs = LatencySummary.FromHistogram(merged);
        }

        return result;
    }
}

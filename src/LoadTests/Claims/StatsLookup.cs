using System.Globalization;
using System.Text.RegularExpressions;
using HdrHistogram;
using PaySim.LoadEngine;

namespace PaySim.LoadTests.Claims;

/// <summary>
/// The engine's statistic names over one step or scenario summary, and merging of same-named steps
/// across scenarios (the "pay" step runs in payment, refund and journey; a claim on step:pay means all).
/// </summary>
internal static partial class StatsLookup
{
    public static double? Lookup(StepSummary s, string metric, long dropped)
    {
        var count = s.Ok + s.Fail;
        if (Percentile().Match(metric) is { Success: true } m)
        {
            var p = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return s.HistogramObject is { TotalCount: > 0 } h ? h.GetValueAtPercentile(p) / 1000.0 : null;
        }

        if (metric.StartsWith("status[", StringComparison.Ordinal))
        {
            return s.StatusCodes.TryGetValue(metric[7..^1], out var c) ? c : 0;
        }

        return metric switch
        {
            "ok" or "ok_count" => s.Ok,
            "fail" or "fail_count" => s.Fail,
            "count" or "requests" => count,
            "ok_rate" => count == 0 ? null : (double)s.Ok / count,
            "fail_rate" => count == 0 ? null : (double)s.Fail / count,
            "dropped" => dropped,
            "dropped_rate" => count + dropped == 0 ? null : (double)dropped / (count + dropped),
            "bytes" => s.Bytes,
            "rps" => s.Rps,
            "ok_rps" => s.DurationS > 0 ? s.Ok / s.DurationS : 0,
            "fail_rps" => s.DurationS > 0 ? s.Fail / s.DurationS : 0,
            "mean" => count == 0 ? null : s.LatencyMs.Mean,
            "max" => count == 0 ? null : s.LatencyMs.Max,
            "min" => count == 0 ? null : s.LatencyMs.Min,
            "stddev" => count == 0 ? null : s.LatencyMs.StdDev,
            _ => null,
        };
    }

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

    [GeneratedRegex(@"^p(\d+(?:\.\d+)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Percentile();
}

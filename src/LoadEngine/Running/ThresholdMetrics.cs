using System.Globalization;
using System.Text.RegularExpressions;

namespace PaySim.LoadEngine.Running;

/// <summary>The metric names thresholds may use, their kinds, and the lookup over a summary.</summary>
internal static partial class ThresholdMetrics
{
    internal const string Allowed =
        "ok, fail, count, ok_rate, fail_rate, rps, ok_rps, fail_rps, dropped, dropped_rate, bytes, pNN (e.g. p50, p99, p99.9), mean, max, min, stddev, status[CODE]";

    internal enum Kind
    {
        Unknown,
        Count,
        Rate,
        Throughput,
        Duration,
    }

    internal static Kind KindOf(string metric)
    {
        if (Percentile().IsMatch(metric))
        {
            return Kind.Duration;
        }

        if (metric.StartsWith("status[", StringComparison.Ordinal))
        {
            return Kind.Count;
        }

        return metric switch
        {
            "ok" or "ok_count" or "fail" or "fail_count" or "count" or "requests" or "dropped" or "bytes" => Kind.Count,
            "ok_rate" or "fail_rate" or "dropped_rate" => Kind.Rate,
            "rps" or "ok_rps" or "fail_rps" => Kind.Throughput,
            "mean" or "max" or "min" or "stddev" => Kind.Duration,
            _ => Kind.Unknown,
        };
    }

    internal static void Validate(Expression e)
    {
        var where = $"threshold \"{e.Text}\"";
        if (e.ScopeKind is not null && e.ScopeKind != "step")
        {
            throw new LoadConfigException($"{where}: unknown scope \"{e.ScopeKind}:\"; only \"step:<name>\" is allowed before the metric.");
        }

        var kind = KindOf(e.Metric);
        if (kind == Kind.Unknown)
        {
            throw new LoadConfigException($"{where}: unknown metric \"{e.Metric}\"; allowed: {Allowed}.");
        }

        if (e.ScopeKind is not null && e.Metric.StartsWith("dropped", StringComparison.Ordinal))
        {
            throw new LoadConfigException($"{where}: \"{e.Metric}\" exists per scenario only, not per step.");
        }

        if (Percentile().Match(e.Metric) is { Success: true } m)
        {
            var p = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            if (p <= 0 || p > 100)
            {
                throw new LoadConfigException($"{where}: percentile must be in (0, 100], got {m.Groups[1].Value}.");
            }
        }

        switch (kind)
        {
            case Kind.Duration when e.Unit == ExpressionUnit.Percent:
                throw new LoadConfigException($"{where}: \"{e.Metric}\" is a duration; write a time such as 250ms or 1s (no unit means ms).");
            case Kind.Rate when e.Unit == ExpressionUnit.Duration:
            case Kind.Rate when e.Unit == ExpressionUnit.None && (e.Value < 0 || e.Value > 1):
                throw new LoadConfigException($"{where}: \"{e.Metric}\" is a rate; write a percent such as 99.5% or a fraction between 0 and 1.");
            case Kind.Count or Kind.Throughput when e.Unit != ExpressionUnit.None:
                throw new LoadConfigException($"{where}: \"{e.Metric}\" is a plain number; write it without a unit.");
        }

        // A bound outside the values the metric takes judges nothing: "p99 < -1" can never pass, "ok_rate <= 100%" always does.
        var (min, max, range) = kind == Kind.Rate ? (0d, 1d, "0% to 100%") : (0d, double.PositiveInfinity, kind == Kind.Count ? "a whole number, 0 or more" : "0 or more");
        if (e.Vacuity(min, max, whole: kind == Kind.Count) is { } outcome)
        {
            throw new LoadConfigException($"{where} {outcome}: \"{e.Metric}\" is {range}; give a bound inside that.");
        }
    }

    /// <summary>Looks up a metric of one scenario summary (durations in ms, rates as fractions).</summary>
    internal static double? Lookup(ScenarioSummary scenario, string key)
    {
        const string stepPrefix = "step:";
        if (key.StartsWith(stepPrefix, StringComparison.Ordinal))
        {
            var slash = key.LastIndexOf('/');
            var stepName = key[stepPrefix.Length..slash];
            var step = scenario.Steps.FirstOrDefault(s => s.Name == stepName);
            return step is null ? null : LookupStats(step, key[(slash + 1)..], scenario.Dropped);
        }

        return LookupStats(scenario, key, scenario.Dropped);
    }

    internal static double? LookupStats(StepSummary s, string metric, long dropped)
    {
        var count = s.Ok + s.Fail;
        if (Percentile().Match(metric) is { Success: true } m)
        {
            var p = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return s.HistogramObject is { } h && h.TotalCount > 0 ? Statistics.HistogramMath.PercentileMs(h, p) : null;
        }

        if (metric.StartsWith("status[", StringComparison.Ordinal))
        {
            var code = metric[7..^1];
            return s.StatusCodes.TryGetValue(code, out var c) ? c : 0;
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

    [GeneratedRegex(@"^p(\d+(?:\.\d+)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Percentile();
}

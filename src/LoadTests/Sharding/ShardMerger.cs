using System.Text.Json.Nodes;
using HdrHistogram;
using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Reconciliation;
using PaySim.LoadTests.Running;

namespace PaySim.LoadTests.Sharding;

/// <summary>
/// Combines shard summaries into one: counts add, histograms merge bucket by bucket (never an average of
/// percentiles), rps is the total over the common window. Claims are judged again from the merged
/// figures; the simulator's figures (issuer nodes, duplicate charges, money) are global, so shard 1's stand.
/// The reconciliation is recomputed from every shard's (see <see cref="ReconciliationResult.Merge"/>).
/// </summary>
internal static class ShardMerger
{
    /// <summary>Figures no merge can recompute from the shards' summaries: shard 1's values are reported, marked as such.</summary>
    public static readonly IReadOnlyList<string> FromShardOne =
    [
        ClaimMetrics.FailoverDetectMs, ClaimMetrics.RecoveryMs, ClaimMetrics.KneeRps, ClaimMetrics.P99Drift, ClaimMetrics.MemoryGrowthMb,
    ];

    public static (RunSummary Summary, IReadOnlyList<TimeSeriesPoint> TimeSeries) Merge(IReadOnlyList<ShardInput> shards)
    {
        var first = shards[0].Summary;
        var summaries = shards.Select(s => s.Summary).ToArray();
        var merged = new RunSummary
        {
            Plan = first.Plan,
            StartedUtc = summaries.Min(s => s.StartedUtc),
            DurationS = summaries.Max(s => s.DurationS),
            AbortReason = summaries.Select(s => s.AbortReason).OfType<string>().Distinct().ToArray() is { Length: > 0 } reasons ? string.Join("; ", reasons) : null,
            Extra = (JsonObject)first.Extra.DeepClone(),
        };

        var percentiles = first.Scenarios.FirstOrDefault()?.LatencyMs.Percentiles.Keys.Select(ParsePercentileName).OfType<double>().ToArray();
        foreach (var name in summaries.SelectMany(s => s.Scenarios).Select(s => s.Name).Distinct())
        {
            var parts = summaries.Select(s => s.FindScenario(name)).OfType<ScenarioSummary>().ToArray();
            var scenario = new ScenarioSummary { Dropped = parts.Sum(p => p.Dropped) };
            Fill(scenario, name, parts, percentiles);
            foreach (var step in parts.SelectMany(p => p.Steps).Select(s => s.Name).Distinct())
            {
                var stepParts = parts.SelectMany(p => p.Steps).Where(s => s.Name == step).ToArray();
                var merged1 = new StepSummary();
                Fill(merged1, step, stepParts, percentiles);
                scenario.Steps.Add(merged1);
            }

            merged.Scenarios.Add(scenario);
        }

        var figures = JoinFigures(shards, merged);
        foreach (var claim in first.Claims)
        {
            var judged = ClaimMetrics.Judge(claim.Name, claim.Expression, figures.Lookup, claim.Scenario);
            var metric = Expression.Parse(ClaimMetrics.Normalise(claim.Expression)).Metric;
            if (metric.StartsWith(ClaimMetrics.FaultP99Ms + "[", StringComparison.Ordinal))
            {
                judged.Message = (judged.Message is null ? string.Empty : judged.Message + " ") + "(the largest shard's: an upper bound)";
            }

            if (FromShardOne.Contains(metric))
            {
                var source = metric == ClaimMetrics.KneeRps ? "shard 1's knee × shard count" : "shard 1's figure: not recomputable from shard summaries";
                judged.Message = (judged.Message is null ? string.Empty : judged.Message + " ") + $"({source})";
            }

            merged.AddClaim(judged);
        }

        merged.Extra["figures"] = new JsonObject(figures.Values.OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => KeyValuePair.Create(v.Key, (JsonNode?)Round(v.Value))));
        merged.Extra["shard"] = new JsonObject
        {
            ["count"] = shards[0].Shard.Count,
            ["merged"] = new JsonArray(shards.Select(s => (JsonNode?)s.Shard.Index).ToArray()),
            ["folders"] = new JsonArray(shards.Select(s => (JsonNode?)Path.GetFullPath(s.Folder)).ToArray()),
        };
        merged.Extra["rate"] = summaries.Sum(s => s.Extra["rate"]?.GetValue<double>() ?? 0);
        return (merged, MergeTimeSeries(shards));
    }

    private static void Fill(StepSummary target, string name, IReadOnlyList<StepSummary> parts, double[]? percentiles)
    {
        target.Name = name;
        target.Ok = parts.Sum(p => p.Ok);
        target.Fail = parts.Sum(p => p.Fail);
        target.Bytes = parts.Sum(p => p.Bytes);
        // The shards run side by side, so the common window is the longest of them, not their sum.
        target.DurationS = parts.Max(p => p.DurationS);
        target.Rps = target.DurationS > 0 ? (target.Ok + target.Fail) / target.DurationS : 0;
        target.StatusCodes = parts.SelectMany(p => p.StatusCodes)
            .GroupBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value), StringComparer.Ordinal);
        var histograms = parts.Select(p => p.HistogramObject).OfType<HistogramBase>().ToArray();
        var histogram = histograms.Length == 0 ? HistogramCodec.CreateHistogram() : HistogramCodec.Merge(histograms);
        target.HistogramObject = histogram;
        target.Histogram = HistogramCodec.Encode(histogram);
        if (histogram.TotalCount > 0)
        {
            target.LatencyMs = percentiles is { Length: > 0 } ? LatencySummary.FromHistogram(histogram, percentiles) : LatencySummary.FromHistogram(histogram);
        }
    }

    private static RunFigures JoinFigures(IReadOnlyList<ShardInput> shards, RunSummary merged)
    {
        var one = shards[0].Summary.Extra;
        var figures = new RunFigures(merged);

        // Start from shard 1's figures (the simulator's, which are global), then replace what the shards add up to.
        if (one["figures"] is JsonObject f1)
        {
            foreach (var (key, value) in f1)
            {
                figures.Set(key, value?.GetValue<double>());
            }
        }

        var ok = merged.Scenarios.Sum(s => s.Ok);
        var fail = merged.Scenarios.Sum(s => s.Fail);
        var measuredS = merged.Scenarios.Select(s => s.DurationS).DefaultIfEmpty(0).Max();
        figures.Set(ClaimMetrics.SuccessRate, ok + fail == 0 ? null : (double)ok / (ok + fail))
            .Set(ClaimMetrics.OkCount, ok)
            .Set(ClaimMetrics.FailCount, fail)
            .Set(ClaimMetrics.Rps, measuredS > 0 ? (ok + fail) / measuredS : null)
            .Set(ClaimMetrics.Dropped, merged.Scenarios.Sum(s => s.Dropped));

        // Bindings: every shard counted its own.
        var attempts = Sum(shards, s => s["bindings"]?["attempts"]);
        var bound = Sum(shards, s => s["bindings"]?["bound"]);
        var byCause = SumObjects(shards, s => s["bindings"]?["byCause"] as JsonObject);
        var resends = Sum(shards, s => s["bindings"]?["resends"]);
        var boundAfterResend = Sum(shards, s => s["bindings"]?["boundAfterResend"]);
        figures.Set(ClaimMetrics.BindSuccessRate, attempts == 0 ? null : (double)bound / attempts).Set(ClaimMetrics.BindFailures, attempts - bound)
            .Set(ClaimMetrics.BindResends, resends).Set(ClaimMetrics.BindBoundAfterResend, boundAfterResend);
        foreach (var (cause, n) in byCause.Where(c => c.Key != Scenarios.RunCounters.Bound))
        {
            figures.Set($"{ClaimMetrics.BindFailures}[{cause}]", n);
        }

        merged.Extra["bindings"] = new JsonObject
        {
            ["attempts"] = attempts,
            ["bound"] = bound,
            ["successRate"] = Round(attempts == 0 ? null : (double)bound / attempts),
            ["resends"] = resends,
            ["boundAfterResend"] = boundAfterResend,
            ["byCause"] = new JsonObject(byCause.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
        };

        // Wallet instances: X-Served-By was counted by each agent's client, so the counts add; every given instance counts.
        var instances = WalletInstanceCensus.Merge(shards.Select(s => s.Summary.Extra["walletInstances"] as JsonArray), one["target"] as JsonObject);
        var walletCounts = instances.Select(w => w.Replies).ToArray();
        var walletJain = Fairness.Jain(walletCounts);
        var walletMax = walletCounts.Length == 0 ? double.NaN : Fairness.MaxShare(walletCounts);
        figures.Set(ClaimMetrics.WalletJain, walletJain).Set(ClaimMetrics.WalletMaxShare, walletMax);
        merged.Extra["walletInstances"] = new JsonArray(instances.Select(w => (JsonNode?)WalletInstanceCensus.ToJson(w, walletCounts.Sum(), Round)).ToArray());
        if (merged.Extra["fairness"] is JsonObject fairness)
        {
            fairness["walletJain"] = Round(walletJain);
            fairness["walletMaxShare"] = Round(walletMax);
        }

        // Retry amplification: shard 1's simulator delta spans every shard's issuer calls (they run side by
        // side), so issuer calls = its figure × its own wallet calls, over all shards' wallet calls.
        var walletCalls = SumObjects(shards, s => s["walletCalls"] as JsonObject);
        merged.Extra["walletCalls"] = new JsonObject(walletCalls.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value)));
        var primary = FigureBuilder.PrimaryIssuerCalls.Values.ToArray();
        var oneCalls = primary.Sum(step => (one["walletCalls"]?[step]?.GetValue<long>()).GetValueOrDefault());
        var allCalls = primary.Sum(step => walletCalls.GetValueOrDefault(step));
        double? amplification = figures.Get(ClaimMetrics.RetryAmplification) is { } a1 && allCalls > 0 ? a1 * oneCalls / allCalls : null;
        figures.Set(ClaimMetrics.RetryAmplification, amplification);
        merged.Extra["retryAmplification"] = Round(amplification);

        // Each shard stepped through 1/n of every capacity step, so its knee is 1/n of the system's.
        if (figures.Get(ClaimMetrics.KneeRps) is { } knee)
        {
            figures.Set(ClaimMetrics.KneeRps, knee * shards[0].Shard.Count);
        }

        MergeReconciliation(shards, figures, merged);

        // Per-second p99s cannot be merged exactly without per-second histograms: the largest shard's bounds the run's.
        foreach (var key in shards.SelectMany(s => (s.Summary.Extra["figures"] as JsonObject ?? []).Select(kv => kv.Key)).Where(k => k.StartsWith(ClaimMetrics.FaultP99Ms + "[", StringComparison.Ordinal)).Distinct().ToArray())
        {
            figures.Set(key, shards.Select(s => s.Summary.Extra["figures"]?[key]?.GetValue<double>()).Max());
        }

        // Failed iterations inside the fault windows: each shard counted its own.
        if (figures.Get(ClaimMetrics.ErrorsDuringFault) is not null)
        {
            var errors = Sum(shards, s => s["figures"]?[ClaimMetrics.ErrorsDuringFault]);
            figures.Set(ClaimMetrics.ErrorsDuringFault, errors);
            if (merged.Extra["failover"] is JsonObject failover)
            {
                failover["errorsDuringFault"] = errors;
            }
        }

        return figures;
    }

    /// <summary>Each shard reconciled its own cards; a shard without a reconciliation leaves every figure without a value.</summary>
    private static void MergeReconciliation(IReadOnlyList<ShardInput> shards, RunFigures figures, RunSummary merged)
    {
        var parts = shards.Select(s => s.Summary.Extra["reconciliation"] as JsonObject).ToArray();
        var result = parts.All(p => p is not null) ? ReconciliationResult.Merge(parts.Select(p => ReconciliationResult.FromJson(p!)).ToArray()) : null;
        foreach (var (metric, _) in ClaimMetrics.Reconciliation)
        {
            figures.Set(metric, result?.Metric(metric));
        }

        merged.Extra["reconciliation"] = result?.ToJson();
    }

    private static long Sum(IReadOnlyList<ShardInput> shards, Func<JsonObject, JsonNode?> pick) =>
        shards.Sum(s => pick(s.Summary.Extra) is { } n ? (long)n.GetValue<double>() : 0);

    private static SortedDictionary<string, long> SumObjects(IReadOnlyList<ShardInput> shards, Func<JsonObject, JsonObject?> pick)
    {
        var sums = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var s in shards)
        {
            foreach (var (key, value) in pick(s.Summary.Extra) ?? [])
            {
                sums[key] = sums.GetValueOrDefault(key) + (value is null ? 0 : (long)value.GetValue<double>());
            }
        }

        return sums;
    }

    /// <summary>
    /// Per second and scenario, counts and target rates add (each shard ran its share of the rate); the per-second
    /// p50/p99 can only be bounded (the max over shards). Steps likewise, per second, scenario and step.
    /// </summary>
    private static IReadOnlyList<TimeSeriesPoint> MergeTimeSeries(IReadOnlyList<ShardInput> shards) =>
        shards.SelectMany(s => s.TimeSeries)
            .GroupBy(p => (p.Second, p.Scenario))
            .OrderBy(g => g.Key.Second).ThenBy(g => g.Key.Scenario, StringComparer.Ordinal)
            .Select(g => new TimeSeriesPoint
            {
                Second = g.Key.Second,
                ElapsedS = g.Max(p => p.ElapsedS),
                Scenario = g.Key.Scenario,
                Requests = g.Sum(p => p.Requests),
                Ok = g.Sum(p => p.Ok),
                Fail = g.Sum(p => p.Fail),
                Dropped = g.Sum(p => p.Dropped),
                Rps = g.Sum(p => p.Rps),
                P50Ms = g.Max(p => p.P50Ms),
                P99Ms = g.Max(p => p.P99Ms),
                Concurrency = g.Sum(p => p.Concurrency),
                TargetRps = g.Any(p => p.TargetRps is not null) ? Math.Round(g.Sum(p => p.TargetRps ?? 0), 3) : null,
                Steps = g.SelectMany(p => p.Steps)
                    .GroupBy(s => s.Name, StringComparer.Ordinal)
                    .OrderBy(s => s.Key, StringComparer.Ordinal)
                    .Select(s => new StepPoint
                    {
                        Name = s.Key,
                        Requests = s.Sum(x => x.Requests),
                        Ok = s.Sum(x => x.Ok),
                        Fail = s.Sum(x => x.Fail),
                        P50Ms = s.Max(x => x.P50Ms),
                        P99Ms = s.Max(x => x.P99Ms),
                    })
                    .ToArray(),
            })
            .ToArray();

    private static double? ParsePercentileName(string name) =>
        name.StartsWith('p') && double.TryParse(name[1..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : null;

    private static double? Round(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 4) : null;
}

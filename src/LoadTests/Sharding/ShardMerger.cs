using System.Text.Json.Nodes;
using HdrHistogram;
using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Reconciliation;
using PaySim.LoadTests.Reporting;

namespace PaySim.LoadTests.Sharding;

/// <summary>
/// Combines shard summaries into one: counts add, histograms merge bucket by bucket (never an average of
/// percentiles), rps is the total over the common window. Every figure is merged by its own rule
/// (<see cref="FigureCatalog"/>: recomputed, summed, the shared simulator's, bounded, scaled or not mergeable)
/// and claims are judged again from the merged figures; a claim on a figure that is not the exact merged one
/// says so in its message. The reconciliation is recomputed from every shard's (see <see cref="ReconciliationResult.Merge"/>).
/// </summary>
internal static class ShardMerger
{

    public static (RunSummary Summary, IReadOnlyList<TimeSeriesPoint> TimeSeries) Merge(IReadOnlyList<ShardInput> shards)
    {
        var first = shards[0].Summary;
        var summaries = shards.Select(s => s.Summary).ToArray();
        var merged = new RunSummary
        {
            Plan = first.Plan,
            StartedUtc = summaries.Min(s => s.StartedUtc),
            DurationS = summaries.Max(s => s.DurationS),
            AbortReason = AbortReason(shards),
            Extra = (JsonObject)first.Extra.DeepClone(),
        };

        var percentiles = first.Scenarios.FirstOrDefault()?.LatencyMs.Percentiles.Keys.Select(ParsePercentileName).OfType<double>().ToArray();
        foreach (var name in summaries.SelectMany(s => s.Scenarios).Select(s => s.Name).Distinct())
        {
            var parts = summaries.Select(s => s.FindScenario(name)).OfType<ScenarioSummary>().ToArray();
            var scenario = new ScenarioSummary { Dropped = parts.Sum(p => p.Dropped), MaxStartLagMs = parts.Max(p => p.MaxStartLagMs) };
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
            var expression = Expression.Parse(ClaimMetrics.Normalise(claim.Expression));
            if (judged.Pass && expression.ScopeKind is null && FigureCatalog.Owner(expression.Metric) is { Merge.Kind: FigureMergeKind.Global } shared
                && FailingShard(shards, claim, shared, figures) is { } failing)
            {
                judged = failing;
            }
            if (expression.ScopeKind is null && FigureCatalog.Owner(expression.Metric)?.Merge.Note is { } note)
            {
                // Every report puts the message in brackets after the observed value: the note goes in as it is.
                judged.Message = judged.Message is null ? note : $"{judged.Message}; {note}";
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
            // Each shard's own "run again" command (null for a report written before commands were), in the folders' order.
            ["commands"] = new JsonArray(shards.Select(s => (JsonNode?)s.Summary.Command).ToArray()),
            // Each shard's --out file (null: it wrote none), in the folders' order: merge does not read them, the lines of all are the run's requests.
            ["outs"] = new JsonArray(shards.Select(s => s.Summary.Extra["out"]?["path"]?.DeepClone()).ToArray()),
        };

        // Shard 1's "out" names one shard's file and counts: not the merged run's.
        merged.Extra.Remove("out");
        merged.Extra["rate"] = summaries.Sum(s => s.Extra["rate"]?.GetValue<double>() ?? 0);

        MarkStoppedByClaim(shards, merged);

        // The merge itself ran to its end: a shard that was interrupted makes the merged run one whose plan did not run as
        // written (its reason says which shard, and merge gives no verdict), not an interrupted one (exit 130 is run's, on Ctrl+C).
        merged.Extra["aborted"] = false;

        return (merged, MergeTimeSeries(shards));
    }

    /// <summary>
    /// A claim on the shared simulator's figure, judged on each shard's own value: each shard measured the simulator over
    /// its own window, so a violation only another shard's window saw (it started or ended later than shard 1) fails the
    /// merged claim too. Null when every shard's value holds.
    /// </summary>
    private static ClaimResult? FailingShard(IReadOnlyList<ShardInput> shards, ClaimResult claim, RunFigure shared, RunFigures merged)
    {
        foreach (var shard in shards)
        {
            var own = shard.Summary.Extra["figures"] as JsonObject;
            var judged = ClaimMetrics.Judge(claim.Name, claim.Expression, key => shared.Owns(key) ? (own?[key] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null) : merged.Lookup(key), claim.Scenario);
            if (!judged.Pass)
            {
                var note = $"shard {shard.Shard}'s: each shard saw the shared simulator over its own window, and this one's fails the claim";
                judged.Message = judged.Message is null ? note : $"{judged.Message}; {note}";
                return judged;
            }
        }

        return null;
    }

    /// <summary>
    /// The shards' reasons, joined. A shard that gave no verdict makes the merged run give none either: one whose plan did
    /// not run as written (<see cref="NotAsWritten"/>, its <c>run</c> exited 3), and one that was interrupted (Ctrl+C or
    /// SIGTERM, <c>"aborted": true</c>, exit 130), whose counts stop short of the plan's. Their reasons come first, under
    /// <see cref="NotAsWritten.Prefix"/>, each naming its shard, so <c>merge</c> gives no verdict (exit 3).
    /// </summary>
    private static string? AbortReason(IReadOnlyList<ShardInput> shards)
    {
        var noVerdict = shards.Where(s => NotAsWritten.Is(s.Summary) || Interrupted(s.Summary)).ToArray();
        // A shard an abortOnFail claim stopped is named: the other shards ran on.
        var others = shards.Except(noVerdict).Where(s => s.Summary.AbortReason is not null)
            .Select(s => s.Summary.Extra["stoppedByClaim"] is null ? s.Summary.AbortReason! : $"shard {s.Shard}: {s.Summary.AbortReason}")
            .Distinct();
        var reasons = noVerdict.Length == 0
            ? others.ToArray()
            : [NotAsWritten.Prefix + string.Join("; ", noVerdict.Select(NoVerdictReason)), .. others];
        return reasons.Length > 0 ? string.Join("; ", reasons) : null;
    }

    private static bool Interrupted(RunSummary summary) => summary.Extra["aborted"] is JsonValue v && v.TryGetValue<bool>(out var a) && a;

    // "shard 2/2: "wallet wallet-2 crash" at 4s failed (…)", or "shard 2/3 was interrupted (Ctrl+C or SIGTERM) after 4.2s of 10s; its counts stop short of the plan's".
    private static string NoVerdictReason(ShardInput shard)
    {
        var reason = shard.Summary.AbortReason;
        if (!Interrupted(shard.Summary))
        {
            return $"shard {shard.Shard}: {reason![NotAsWritten.Prefix.Length..]}";
        }

        // run writes "interrupted (Ctrl+C or SIGTERM) after 4.2s of 10s; faults and wallet events were reverted, …": keep its first part.
        var how = reason?.StartsWith("interrupted", StringComparison.Ordinal) == true ? reason.Split(';', 2)[0].Trim() : "interrupted";
        return $"shard {shard.Shard} was {how}; its counts stop short of the plan's";
    }

    /// <summary>
    /// A shard that an <c>abortOnFail</c> claim stopped fails that claim in the merged verdict too, saying which shard and
    /// when (the merged figures cover a load that stopped short, and may read as a pass). The earliest stop is the merged
    /// run's <c>stoppedByClaim</c>, with its shard; the merged run's reason already carries the shard's.
    /// </summary>
    private static void MarkStoppedByClaim(IReadOnlyList<ShardInput> shards, RunSummary merged)
    {
        merged.Extra.Remove("stoppedByClaim");
        var stops = shards
            .Select(s => (s.Shard, Stop: s.Summary.Extra["stoppedByClaim"] as JsonObject))
            .Where(s => s.Stop?["claim"] is JsonValue)
            .OrderBy(s => s.Stop!["atS"]?.GetValue<double>() ?? double.MaxValue)
            .ToArray();
        foreach (var (shard, stop) in stops)
        {
            var text = stop!["claim"]!.GetValue<string>();
            if (merged.Claims.FirstOrDefault(c => c.Expression == text) is { } claim)
            {
                claim.Pass = false;
                var note = $"shard {shard} stopped at {stop["atS"]?.GetValue<double>().ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}s, was {stop["observed"]?.GetValue<string>()} (abortOnFail)";
                claim.Message = claim.Message is null ? note : $"{claim.Message}; {note}";
            }
        }

        if (stops.Length > 0)
        {
            var (shard, first) = stops[0];
            var copy = (JsonObject)first!.DeepClone();
            copy["shard"] = shard.Index;
            merged.Extra["stoppedByClaim"] = copy;
        }
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

    /// <summary>Merges the summary sections the shards each counted, then every figure by its rule.</summary>
    private static RunFigures JoinFigures(IReadOnlyList<ShardInput> shards, RunSummary merged)
    {
        var one = shards[0].Summary.Extra;

        // Bindings: every shard counted its own.
        var attempts = Sum(shards, s => s["bindings"]?["attempts"]);
        var bound = Sum(shards, s => s["bindings"]?["bound"]);
        var byCause = SumObjects(shards, s => s["bindings"]?["byCause"] as JsonObject);
        var resends = Sum(shards, s => s["bindings"]?["resends"]);
        var boundAfterResend = Sum(shards, s => s["bindings"]?["boundAfterResend"]);
        merged.Extra["bindings"] = new JsonObject
        {
            ["attempts"] = attempts,
            ["bound"] = bound,
            ["successRate"] = Round(attempts == 0 ? null : (double)bound / attempts),
            ["resends"] = resends,
            ["boundAfterResend"] = boundAfterResend,
            ["byCause"] = new JsonObject(byCause.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
        };

        // Step-up payments: every shard counted its own (byCause holds the completed ones under "authenticated" too).
        var stepUps = SumObjects(shards, s => s["stepUps"]?["byCause"] as JsonObject);
        merged.Extra["stepUps"] = StepUpSummary.ToJson(stepUps);
        // Password resets: every shard counted its own.
        var resetOutcomes = SumObjects(shards, s => s["passwordResets"]?["byCause"] as JsonObject);
        var resetAttempts = Sum(shards, s => s["passwordResets"]?["attempts"]);
        var reset = Sum(shards, s => s["passwordResets"]?["reset"]);
        merged.Extra["passwordResets"] = new JsonObject
        {
            ["attempts"] = resetAttempts,
            ["reset"] = reset,
            ["successRate"] = Round(resetAttempts == 0 ? null : (double)reset / resetAttempts),
            ["byCause"] = new JsonObject(resetOutcomes.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
        };
        if (reset > 0)
        {
            resetOutcomes[FigureRun.ResetOutcome] = reset;
        }

        // Wallet instances: X-Served-By was counted by each agent's client, so the counts add; every given instance counts.
        var instances = WalletInstanceCensus.Merge(shards.Select(s => s.Summary.Extra["walletInstances"] as JsonArray), one["target"] as JsonObject);
        merged.Extra["walletInstances"] = new JsonArray(instances.Select(w => (JsonNode?)WalletInstanceCensus.ToJson(w, instances.Sum(i => i.Replies), Round)).ToArray());

        // Risk declines: every shard counted its own payments.
        var riskDeclines = SumObjects(shards, s => s["riskDeclines"]?["byCause"] as JsonObject);
        merged.Extra["riskDeclines"] = RiskCauses.ToJson(riskDeclines);

        var walletCalls = SumObjects(shards, s => s["walletCalls"] as JsonObject);
        merged.Extra["walletCalls"] = new JsonObject(walletCalls.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value)));

        // Each shard reconciled its own cards; a shard without a reconciliation leaves every figure without a value.
        var reconciliations = shards.Select(s => s.Summary.Extra["reconciliation"] as JsonObject).ToArray();
        var reconciliation = reconciliations.All(p => p is not null) ? ReconciliationResult.Merge(reconciliations.Select(p => ReconciliationResult.FromJson(p!)).ToArray()) : null;

        var run = new FigureRun
        {
            Summary = merged,
            BindOutcomes = byCause,
            StepUpOutcomes = stepUps,
            Resends = resends,
            RiskDeclines = riskDeclines,
            ResetOutcomes = resetOutcomes,
            BoundAfterResend = boundAfterResend,
            WalletCalls = walletCalls,
            WalletInstances = instances,
            Reconciliation = ClaimMetrics.Reconciliation.ToDictionary(r => r.Metric, r => reconciliation?.Metric(r.Metric), StringComparer.Ordinal),
        };
        var input = new FigureShards(
            shards[0].Shard.Count,
            shards.Select(s => (IReadOnlyDictionary<string, double?>)(s.Summary.Extra["figures"] as JsonObject ?? [])
                .ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<double>(), StringComparer.Ordinal)).ToArray(),
            shards.Select(s => (IReadOnlyDictionary<string, long>)SumObjects([s], x => x["walletCalls"] as JsonObject)).ToArray(),
            run);
        var figures = new RunFigures(merged);
        foreach (var figure in FigureCatalog.All)
        {
            figure.Merge.Apply(figure, input, figures);
        }

        // The summary sections that repeat merged figures.
        if (merged.Extra["fairness"] is JsonObject fairness)
        {
            fairness["walletJain"] = Round(figures.Get(ClaimMetrics.WalletJain));
            fairness["walletMaxShare"] = Round(figures.Get(ClaimMetrics.WalletMaxShare));
        }

        merged.Extra["retryAmplification"] = Round(figures.Get(ClaimMetrics.RetryAmplification));
        // The simulator's invariants as merged (the worst shard's), not shard 1's copied with the rest of its summary.
        // A shard without the figure leaves it unknown (null), never shard 1's copied value.
        merged.Extra["duplicateCharges"] = figures.Get(ClaimMetrics.DuplicateCharges) is { } duplicates ? (long)duplicates : null;
        merged.Extra["declinedReattempts"] = figures.Get(ClaimMetrics.DeclinedReattempts) is { } reattempts ? (long)reattempts : null;
        merged.Extra["moneyConserved"] = figures.Get(ClaimMetrics.MoneyConserved) is { } conserved ? conserved == 1 : null;
        merged.Extra["reconciliation"] = reconciliation?.ToJson();
        if (figures.Get(ClaimMetrics.ErrorsDuringFault) is { } errors && merged.Extra["failover"] is JsonObject failover)
        {
            failover["errorsDuringFault"] = (long)errors;
        }

        return figures;
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
                MaxStartLagMs = g.Max(p => p.MaxStartLagMs),
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

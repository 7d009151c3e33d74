using System.Text.Json.Nodes;
using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Reconciliation;
using PaySim.LoadTests.Scenarios;
using PaySim.LoadTests.SimulatorControl;

namespace PaySim.LoadTests.Running;

/// <summary>Computes every run-wide figure (docs/plans.md, "Claims") and the matching summary.json fields.</summary>
internal static class FigureBuilder
{
    /// <summary>Issuer methods that each answer exactly one wallet call, and that wallet call's step.</summary>
    public static readonly IReadOnlyDictionary<string, string> PrimaryIssuerCalls = new Dictionary<string, string>
    {
        ["StartBinding"] = "bind_start",
        ["ConfirmBinding"] = "bind_confirm",
        ["Authorize"] = "pay",
        ["Refund"] = "refund",
    };

    public static RunFigures Build(
        LoadPlan plan,
        RunResult result,
        RunCounters counters,
        IReadOnlyList<NodeCounters> issuerNodes,
        IReadOnlyList<WalletInstanceCount> walletInstances,
        Invariants invariantsBefore,
        Invariants invariantsAfter,
        double memoryGrowthMb,
        ReconciliationResult reconciliation,
        out JsonObject extra)
    {
        var summary = result.Summary;
        var figures = new RunFigures(summary);
        var ok = summary.Scenarios.Sum(s => s.Ok);
        var fail = summary.Scenarios.Sum(s => s.Fail);
        var measuredS = summary.Scenarios.Select(s => s.DurationS).DefaultIfEmpty(0).Max();
        figures.Set(ClaimMetrics.SuccessRate, ok + fail == 0 ? null : (double)ok / (ok + fail))
            .Set(ClaimMetrics.OkCount, ok)
            .Set(ClaimMetrics.FailCount, fail)
            .Set(ClaimMetrics.Rps, measuredS > 0 ? (ok + fail) / measuredS : null)
            .Set(ClaimMetrics.Dropped, summary.Scenarios.Sum(s => s.Dropped));

        // Bindings by cause.
        var outcomes = counters.BindOutcomes;
        var attempts = outcomes.Values.Sum();
        var bound = outcomes.GetValueOrDefault(RunCounters.Bound);
        figures.Set(ClaimMetrics.BindSuccessRate, attempts == 0 ? null : (double)bound / attempts)
            .Set(ClaimMetrics.BindFailures, attempts - bound)
            .Set(ClaimMetrics.BindResends, counters.Resends)
            .Set(ClaimMetrics.BindBoundAfterResend, counters.BoundAfterResend);
        foreach (var (cause, n) in outcomes.Where(o => o.Key != RunCounters.Bound))
        {
            figures.Set($"{ClaimMetrics.BindFailures}[{cause}]", n);
        }

        // Fairness.
        var issuerCounts = issuerNodes.Select(n => n.Requests).ToArray();
        var walletCounts = walletInstances.Select(w => w.Replies).ToArray();
        var issuerJain = Fairness.Jain(issuerCounts);
        var issuerMax = issuerCounts.Length == 0 ? double.NaN : Fairness.MaxShare(issuerCounts);
        var walletJain = Fairness.Jain(walletCounts);
        var walletMax = walletCounts.Length == 0 ? double.NaN : Fairness.MaxShare(walletCounts);
        var issuerTotal = issuerCounts.Sum();
        foreach (var n in issuerNodes)
        {
            figures.Set($"{ClaimMetrics.IssuerNodeShare}[{n.Name}]", issuerTotal == 0 ? null : (double)n.Requests / issuerTotal);
        }

        figures.Set(ClaimMetrics.IssuerJain, issuerJain).Set(ClaimMetrics.Jain, issuerJain)
            .Set(ClaimMetrics.IssuerMaxShare, issuerMax).Set(ClaimMetrics.MaxShare, issuerMax)
            .Set(ClaimMetrics.WalletJain, walletJain).Set(ClaimMetrics.WalletMaxShare, walletMax);

        // Retry amplification: issuer calls per wallet call that needs exactly one.
        var issuerCalls = issuerNodes.Sum(n => PrimaryIssuerCalls.Keys.Sum(m => n.CallsByMethod.GetValueOrDefault(m)));
        var walletCalls = PrimaryIssuerCalls.Values.Sum(step => counters.WalletCalls.GetValueOrDefault(step));
        double? amplification = walletCalls == 0 ? null : (double)issuerCalls / walletCalls;
        figures.Set(ClaimMetrics.RetryAmplification, amplification);

        // Failover, from the per-second series of all scenarios together.
        var series = ToSeconds(result.TimeSeries);
        FailoverResult? failover = null;
        if (plan.FirstFaultStart is { } faultStart)
        {
            var windows = plan.Faults.Select(f => (f.Start, f.Start + (f.Duration ?? plan.Duration - f.Start)))
                .Concat(plan.NodeEvents.Select(e => (e.Start, e.Start + (e.Duration ?? plan.Duration - e.Start))))
                .ToArray();
            failover = FailoverDetector.Analyse(series, plan.WarmUp, faultStart, windows);
            for (var i = 0; i < windows.Length; i++)
            {
                figures.Set($"{ClaimMetrics.FaultP99Ms}[{i + 1}]", FaultWindowLatency.WorstP99Ms(result.TimeSeries, windows[i], plan.Client.Timeout));
            }

            figures.Set(ClaimMetrics.FailoverDetectMs, failover.DetectMs)
                .Set(ClaimMetrics.RecoveryMs, failover.RecoverMs)
                .Set(ClaimMetrics.ErrorsDuringFault, failover.ErrorsDuringFault);
        }

        var duplicates = Math.Max(0, invariantsAfter.DuplicateCharges - invariantsBefore.DuplicateCharges);
        figures.Set(ClaimMetrics.DuplicateCharges, duplicates)
            .Set(ClaimMetrics.MoneyConserved, invariantsAfter.MoneyConserved ? 1 : 0)
            .Set(ClaimMetrics.MemoryGrowthMb, memoryGrowthMb)
            .Set(ClaimMetrics.P99Drift, P99Drift(result.TimeSeries, plan.WarmUp));
        foreach (var (metric, _) in ClaimMetrics.Reconciliation)
        {
            figures.Set(metric, reconciliation.Metric(metric));
        }

        JsonObject? capacity = null;
        if (plan.CapacityObjectives.Count > 0 && plan.Scenarios.FirstOrDefault(s => s.IsOpen) is { } stepped)
        {
            var (steps, knee, reached) = CapacityAnalysis.Analyse(stepped.Load, result.TimeSeries.Where(p => p.Scenario == stepped.Name).ToArray(), plan.CapacityObjectives);
            figures.Set(ClaimMetrics.KneeRps, knee);
            capacity = new JsonObject
            {
                ["scenario"] = stepped.Name,
                ["objectives"] = new JsonArray(plan.CapacityObjectives.Select(o => (JsonNode?)o.Text).ToArray()),
                ["kneeRps"] = knee,
                ["kneeReached"] = reached,
                ["steps"] = new JsonArray(steps.Select(s => (JsonNode?)new JsonObject
                {
                    ["rate"] = Math.Round(s.RatePerSecond, 3),
                    ["startS"] = s.StartS,
                    ["endS"] = s.EndS,
                    ["p99Ms"] = s.P99Ms is { } p ? Math.Round(p, 3) : null,
                    ["okRate"] = s.OkRate is { } o ? Math.Round(o, 5) : null,
                    ["rps"] = Math.Round(s.Rps, 3),
                    ["pass"] = s.Pass,
                }).ToArray()),
            };
        }

        extra = new JsonObject
        {
            ["nodes"] = new JsonArray(issuerNodes.Select(n => (JsonNode?)new JsonObject
            {
                ["name"] = n.Name,
                ["requests"] = n.Requests,
                ["errors"] = n.Errors,
                ["share"] = Round(issuerCounts.Sum() == 0 ? null : (double)n.Requests / issuerCounts.Sum()),
            }).ToArray()),
            ["walletInstances"] = new JsonArray(walletInstances.Select(w => (JsonNode?)WalletInstanceCensus.ToJson(w, walletCounts.Sum(), Round)).ToArray()),
            ["fairness"] = new JsonObject
            {
                ["jain"] = Round(issuerJain),
                ["maxNodeShare"] = Round(issuerMax),
                ["walletJain"] = Round(walletJain),
                ["walletMaxShare"] = Round(walletMax),
            },
            ["retryAmplification"] = Round(amplification),
            ["duplicateCharges"] = duplicates,
            ["moneyConserved"] = invariantsAfter.MoneyConserved,
            ["failover"] = new JsonObject
            {
                ["detectMs"] = failover?.DetectMs,
                ["recoverMs"] = failover?.RecoverMs,
                ["impacted"] = failover?.Impacted,
                ["recovered"] = failover?.Recovered,
                ["baselineErrorRate"] = Round(failover?.BaselineErrorRate),
                ["errorsDuringFault"] = failover?.ErrorsDuringFault,
                ["faultStartS"] = plan.FirstFaultStart?.TotalSeconds,
                ["faultEndS"] = plan.LastFaultEnd?.TotalSeconds,
            },
            ["bindings"] = new JsonObject
            {
                ["attempts"] = attempts,
                ["bound"] = bound,
                ["successRate"] = Round(attempts == 0 ? null : (double)bound / attempts),
                ["resends"] = counters.Resends,
                ["boundAfterResend"] = counters.BoundAfterResend,
                ["byCause"] = new JsonObject(outcomes.Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value))),
            },
            ["walletCalls"] = new JsonObject(counters.WalletCalls.Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value))),
            ["reconciliation"] = reconciliation.ToJson(),
            ["figures"] = new JsonObject(figures.Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => KeyValuePair.Create(v.Key, (JsonNode?)Round(v.Value)))),
        };
        if (capacity is not null)
        {
            extra["capacity"] = capacity;
        }

        return figures;
    }

    /// <summary>Sums every scenario's points per second (engine seconds are 1-based and cover (s-1, s]).</summary>
    public static IReadOnlyList<SecondSample> ToSeconds(IEnumerable<TimeSeriesPoint> points) =>
        points.GroupBy(p => p.Second)
            .OrderBy(g => g.Key)
            .Select(g => new SecondSample(g.Key - 1, g.Sum(p => p.Ok), g.Sum(p => p.Fail)))
            .ToArray();

    /// <summary>Request-weighted mean of per-second p99 over the last fifth of the measured run, over the same for the first fifth.</summary>
    private static double? P99Drift(IReadOnlyList<TimeSeriesPoint> points, TimeSpan warmUp)
    {
        var seconds = points.Where(p => p.Second - 1 >= warmUp.TotalSeconds && p.Requests > 0)
            .GroupBy(p => p.Second).OrderBy(g => g.Key)
            .Select(g => (Requests: g.Sum(p => p.Requests), P99: g.Max(p => p.P99Ms)))
            .ToArray();
        if (seconds.Length < 5)
        {
            return null;
        }

        var fifth = seconds.Length / 5;
        static double Weighted(IEnumerable<(long Requests, double P99)> xs)
        {
            var arr = xs.ToArray();
            var total = arr.Sum(x => x.Requests);
            return total == 0 ? double.NaN : arr.Sum(x => x.P99 * x.Requests) / total;
        }

        var first = Weighted(seconds.Take(fifth));
        var last = Weighted(seconds.Skip(seconds.Length - fifth));
        return first > 0 ? last / first : null;
    }

    private static double? Round(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 4) : null;
}

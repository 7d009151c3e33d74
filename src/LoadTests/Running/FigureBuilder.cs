using System.Text.Json.Nodes;
using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Reconciliation;
using PaySim.LoadTests.Scenarios;
using PaySim.LoadTests.SimulatorControl;

namespace PaySim.LoadTests.Running;

/// <summary>Computes every run-wide figure of <see cref="FigureCatalog"/> (docs/plans.md, "Claims") from a run, and the matching summary.json fields.</summary>
internal static class FigureBuilder
{
    /// <summary>What the run's own counters give, beside the engine's summary: all the live figures read (<see cref="FigureCatalog.ComputeLive"/>), and the start of <see cref="Build"/>'s.</summary>
    public static FigureRun Live(RunSummary summary, RunCounters counters) => new()
    {
        Summary = summary,
        BindOutcomes = counters.BindOutcomes,
        StepUpOutcomes = counters.StepUpOutcomes,
        Resends = counters.Resends,
        RiskDeclines = counters.RiskDeclines,
        ResetOutcomes = counters.ResetOutcomes,
        BoundAfterResend = counters.BoundAfterResend,
        WalletCalls = counters.WalletCalls,
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
        var stepped = plan.CapacityObjectives.Count > 0 ? plan.Scenarios.FirstOrDefault(s => s.IsOpen) : null;
        var run = Live(summary, counters) with
        {
            TimeSeries = result.TimeSeries,
            IssuerNodes = issuerNodes.Select(n => new IssuerNodeCount(n.Name, n.Requests, FigureCatalog.PrimaryIssuerCalls.Keys.Sum(m => n.CallsByMethod.GetValueOrDefault(m)))).ToArray(),
            WalletInstances = walletInstances,
            DuplicateCharges = Math.Max(0, invariantsAfter.DuplicateCharges - invariantsBefore.DuplicateCharges),
            DeclinedReattempts = Math.Max(0, invariantsAfter.DeclinedReattempts - invariantsBefore.DeclinedReattempts),
            MoneyConserved = invariantsAfter.MoneyConserved,
            MemoryGrowthMb = memoryGrowthMb,
            Reconciliation = ClaimMetrics.Reconciliation.ToDictionary(r => r.Metric, r => reconciliation.Metric(r.Metric), StringComparer.Ordinal),
            FaultWindows = plan.Faults.Select(f => (f.Start, f.Start + (f.Duration ?? plan.Duration - f.Start)))
                .Concat(plan.NodeEvents.Select(e => (e.Start, e.Start + (e.Duration ?? plan.Duration - e.Start))))
                .ToArray(),
            FirstFaultStart = plan.FirstFaultStart,
            WarmUp = plan.WarmUp,
            ClientTimeout = plan.Client.Timeout,
            Capacity = stepped is null ? null : (stepped.Name, stepped.Load, plan.CapacityObjectives),
        };
        var figures = new RunFigures(summary);
        foreach (var figure in FigureCatalog.All)
        {
            figure.Compute(run, figures);
        }

        var outcomes = run.BindOutcomes;
        var attempts = outcomes.Values.Sum();
        var bound = outcomes.GetValueOrDefault(RunCounters.Bound);
        var issuerTotal = issuerNodes.Sum(n => n.Requests);
        var walletTotal = walletInstances.Sum(w => w.Replies);
        var failover = run.Failover;
        JsonObject? capacity = null;
        if (stepped is not null && run.CapacityResult is { } analysis)
        {
            var (steps, knee, reached) = analysis;
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
                    ["lateSeconds"] = s.LateSeconds,
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
                ["share"] = Round(issuerTotal == 0 ? null : (double)n.Requests / issuerTotal),
            }).ToArray()),
            ["walletInstances"] = new JsonArray(walletInstances.Select(w => (JsonNode?)WalletInstanceCensus.ToJson(w, walletTotal, Round)).ToArray()),
            ["fairness"] = new JsonObject
            {
                ["jain"] = Round(figures.Get(ClaimMetrics.IssuerJain)),
                ["maxNodeShare"] = Round(figures.Get(ClaimMetrics.IssuerMaxShare)),
                ["walletJain"] = Round(figures.Get(ClaimMetrics.WalletJain)),
                ["walletMaxShare"] = Round(figures.Get(ClaimMetrics.WalletMaxShare)),
            },
            ["retryAmplification"] = Round(figures.Get(ClaimMetrics.RetryAmplification)),
            ["duplicateCharges"] = run.DuplicateCharges,
            ["declinedReattempts"] = run.DeclinedReattempts,
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
            ["riskDeclines"] = RiskCauses.ToJson(run.RiskDeclines),
            ["stepUps"] = StepUpSummary.ToJson(run.StepUpOutcomes),
            ["passwordResets"] = PasswordResets(run.ResetOutcomes),
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

    /// <summary>summary.json <c>passwordResets</c>: attempts, resets, their share and the failures by cause.</summary>
    public static JsonObject PasswordResets(IReadOnlyDictionary<string, long> outcomes)
    {
        var attempts = outcomes.Values.Sum();
        var reset = outcomes.GetValueOrDefault(FigureRun.ResetOutcome);
        return new JsonObject
        {
            ["attempts"] = attempts,
            ["reset"] = reset,
            ["successRate"] = Round(attempts == 0 ? null : (double)reset / attempts),
            ["byCause"] = new JsonObject(outcomes.Where(o => o.Key != FigureRun.ResetOutcome).Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value))),
        };
    }

    private static double? Round(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 4) : null;
}

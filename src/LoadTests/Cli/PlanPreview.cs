using System.Globalization;
using PaySim.LoadEngine;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Reporting;
using PaySim.LoadTests.Sharding;
using PaySim.Simulator.Risk;

namespace PaySim.LoadTests.Cli;

/// <summary>
/// What <c>run --dry-run</c> prints: the plan as the run would play it, after every flag and (for a shard) cut to this
/// shard's share of the load, with nothing started and no request sent. A plan and its flags can so be checked in CI,
/// or before a long run, in a second: bad input gives the same one line and exit 2 as a real run would.
/// </summary>
internal static class PlanPreview
{
    /// <summary>The lines, in the order a reader checks them: what, against what, how much, which failures, which claims.</summary>
    /// <param name="reportFolder">The <c>--report-dir</c> given, or null for the run's default (named at its start).</param>
    /// <param name="rawOut">The <c>--out</c> given, or null.</param>
    public static IReadOnlyList<string> Lines(LoadPlan plan, ShardSpec shard, string? reportFolder, Uri? otlp, bool resetSimulator = false, OutTarget? rawOut = null)
    {
        plan = PlanSharder.Apply(plan, shard);
        var lines = new List<string>
        {
            $"plan {plan.Name}: {plan.Description}".TrimEnd(' ', ':'),
            $"  source   {(PlanCatalog.List().TryGetValue(plan.Source, out var file) ? file : plan.Source)}",
            $"  target   {Target(plan)}",
            $"  load     {DurationText.Format(plan.Duration)} at {N(plan.Rate)}/s in all (warm-up {DurationText.Format(plan.WarmUp)}), seed {plan.Seed}, settle up to {DurationText.Format(plan.Settle)}"
                + (shard.IsSharded ? $"; shard {shard} of the load (the fault timeline {(shard.AppliesTimeline ? "plays here" : "plays on shard 1")})" : string.Empty),
            $"  cards    {plan.PreboundCards} users with a bound card; personas {Shares(plan.Personas)}",
        };
        if (resetSimulator)
        {
            lines.Insert(3, shard.AppliesTimeline
                ? "  reset    before the load: every fault rule on the simulator removed, every node not up brought back up (--reset-simulator)"
                : "  reset    left to shard 1, which plays the faults for every shard (--reset-simulator)");
        }

        foreach (var s in plan.Scenarios)
        {
            lines.Add($"  scenario {s.Name}{(KindName(s.Kind) == s.Name ? string.Empty : $" ({KindName(s.Kind)})")}: {string.Join("; ", s.Load.Select(Phase))}"
                + (s.Mix.Count > 0 ? $"; mix {Shares(s.Mix.Select(m => KeyValuePair.Create(KindName(m.Key), m.Value)))}" : string.Empty)
                + (s.MaxConcurrency != ScenarioProps.DefaultMaxConcurrency ? $"; at most {s.MaxConcurrency} in flight" : string.Empty));
        }

        foreach (var f in plan.Faults.OrderBy(f => f.Start))
        {
            lines.Add($"  fault    {When(f.Start, f.Duration)}: {f.Name} {f.Rule.ToJsonString()}");
        }

        foreach (var e in Events(plan).OrderBy(e => e.Start))
        {
            lines.Add($"  event    {When(e.Start, e.Duration)}: {EventText(e, plan)}");
        }

        if (plan.Risk is { } risk)
        {
            lines.Add($"  risk     the plan's rules, put in force before the load: {risk.ToJson()}");
        }
        else if (!plan.Target.IsEmbedded)
        {
            lines.Add("  risk     the simulator's own rules, read when the run starts (the card-pool check waits for them)");
        }

        foreach (var c in plan.Claims)
        {
            lines.Add(c.AbortOnFail
                ? $"  claim    {c.Text} (abortOnFail: checked each second from {DurationText.Format(plan.WarmUp + c.AbortDelay)}; stops the run when it fails)"
                : $"  claim    {c.Text}");
        }

        if (plan.CapacityObjectives.Count > 0)
        {
            lines.Add($"  capacity objectives {string.Join(", ", plan.CapacityObjectives.Select(o => o.ToString()))}");
        }

        if (plan.Catches.Count > 0)
        {
            lines.Add($"  catches  {string.Join("; ", plan.Catches)} (planted defects it promises to fail on{(plan.Catches.Any(c => c.By.Count > 0) ? ", each by one of the claims named" : string.Empty)})");
        }

        lines.Add($"  report   {(reportFolder is null ? Path.Combine("reports", $"<UTC time of the start>-{plan.Name}") : Path.GetFullPath(reportFolder))}" + (otlp is null ? string.Empty : $"; per-second figures pushed to {otlp}")
            + (rawOut is null ? string.Empty : $"; every request as k6 JSON lines to {Path.GetFullPath(rawOut.Path)}{(rawOut.Gzip ? " (gzip)" : string.Empty)}"));

        // The run's own pre-load check, with the rules it would read: the plan's, else (embedded) the simulator's defaults.
        // An external simulator's rules are only known once it is asked, which a dry run does not do.
        var rules = plan.Risk ?? (plan.Target.IsEmbedded ? RiskRules.Default : null);
        if (CardPoolCheck.Warning(plan, rules) is { } warning)
        {
            lines.Add($"warning: {warning}");
        }

        lines.Add("dry run: nothing was started and no request sent; drop --dry-run to run it.");
        return lines;
    }

    private static string Target(LoadPlan plan)
    {
        if (plan.Target.External is { } x)
        {
            return $"external: wallet {string.Join(", ", x.WalletUrls)}; simulator {x.SimulatorUrl}; SMS gateway {x.SmsUrl?.ToString() ?? "as the simulator's node list gives"}"
                + (x.Hooks.Count > 0 ? $"; wallet hooks {string.Join(", ", x.Hooks.Keys.Order(StringComparer.Ordinal))}" : string.Empty);
        }

        var e = plan.Target.Embedded;
        return $"embedded: {e.Nodes} issuer nodes, SMS gateway, {e.WalletInstances} wallet instances ({e.WalletMode}, {e.BalancingPolicy})"
            + (e.Defects.Count > 0 ? $", planted defects {string.Join(", ", e.Defects)}" : string.Empty);
    }

    /// <summary>An embedded target's seeded node events are picked here as the run would (its nodes are known); an external one's wait for its node list.</summary>
    private static IReadOnlyList<NodeEvent> Events(LoadPlan plan) =>
        plan.Target.IsEmbedded
            ? NodeEventCompiler.Resolve(plan.NodeEvents, plan.Target.Embedded.IssuerNodeNames, plan.Seed)
            : plan.NodeEvents;

    private static string EventText(NodeEvent e, LoadPlan plan)
    {
        // How the harness does it: an embedded wallet instance is a child process it signals; an external one, the hook.
        var embedded = plan.Target.IsEmbedded;
        var (state, after) = e.State switch
        {
            NodeEventState.Down => ("down", "back up"),
            NodeEventState.NotServing => ("not serving", "serving again"),
            NodeEventState.Crash => (embedded ? "crashes (SIGKILL)" : "crashes (hook crash)", embedded ? "restarted" : "restarted (hook restart)"),
            NodeEventState.Freeze => (embedded ? "freezes (SIGSTOP)" : "freezes (hook freeze)", embedded ? "thawed (SIGCONT)" : "thawed (hook thaw)"),
            _ => (e.State.ToString(), "back"),
        };
        var node = e.AwaitsPick ? $"the issuer node seed {plan.Seed} picks from the simulator's nodes" : e.Node;
        return $"{node} {state}" + (e.Duration is null ? string.Empty : $", then {after}") + (e.Seeded && !e.AwaitsPick ? $" (picked by seed {plan.Seed})" : string.Empty);
    }

    private static string Phase(LoadSimulation l) => l.Kind switch
    {
        LoadSimulationKind.Inject => $"inject {N(l.RatePerSecond)}/s for {DurationText.Format(l.During)}",
        LoadSimulationKind.RampingInject => $"ramp to {N(l.RatePerSecond)}/s over {DurationText.Format(l.During)}",
        LoadSimulationKind.InjectRandom => $"random {N(l.RatePerSecond)}..{N(l.MaxRatePerSecond)}/s for {DurationText.Format(l.During)}",
        LoadSimulationKind.Pause => $"pause {DurationText.Format(l.During)}",
        LoadSimulationKind.KeepConstant => $"{l.Copies} copies for {DurationText.Format(l.During)}",
        LoadSimulationKind.RampingConstant => $"ramp to {l.Copies} copies over {DurationText.Format(l.During)}",
        LoadSimulationKind.Iterations => $"{l.IterationCount} iterations on {l.Copies} copies",
        _ => l.Kind.ToString(),
    };

    private static string When(TimeSpan start, TimeSpan? duration) =>
        $"at {DurationText.Format(start)} " + (duration is { } d ? $"for {DurationText.Format(d)}" : "until the end");

    private static string KindName(ScenarioKind kind) => KnownNames.Scenarios.First(n => KnownNames.ParseScenario(n) == kind);

    /// <summary>Weights as shares of their sum, in the plan's order: "healthy 80%, low-balance 20%".</summary>
    private static string Shares(IEnumerable<KeyValuePair<string, double>> weights)
    {
        var list = weights.ToArray();
        var sum = list.Sum(w => w.Value);
        return string.Join(", ", list.Select(w => $"{w.Key} {Pct(sum > 0 ? w.Value / sum : 0)}"));
    }

    private static string N(double v) => RateText.Format(v);

    private static string Pct(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}

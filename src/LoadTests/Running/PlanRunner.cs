using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Cluster;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Reconciliation;
using PaySim.LoadTests.Reporting;
using PaySim.LoadTests.Scenarios;
using PaySim.LoadTests.Sharding;
using PaySim.LoadTests.SimulatorControl;
using PaySim.LoadTests.Timeline;
using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Running;

/// <summary>
/// Runs one compiled plan end to end: checks or starts the target, prepares users and cards, plays
/// the load and the fault timeline together, then joins the engine's statistics with the simulator's
/// counters and the wallet's X-Served-By counts into one summary, judges the claims and writes the reports.
/// </summary>
internal static class PlanRunner
{
    public static async Task<RunOutcome> RunAsync(LoadPlan plan, RunOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var time = options.TimeProvider;
        var shard = options.Shard;
        plan = PlanSharder.Apply(plan, shard);
        var flows = new StrongBox<WalletFlows>();
        var events = new RunEvents();
        using var otlp = options.Otlp is { } endpoint ? new OtlpExport(endpoint, plan.Name, shard) : null;
        var counters = new RunCounters();
        var abortOnFail = new AbortOnFailCheck(plan, counters);
        var rawOut = options.Out is { } outTarget ? new JsonLinesOutput(outTarget) : null;
        var runner = CreateRunner(plan, options, flows, events, otlp, abortOnFail, rawOut);
        var folder = options.ReportDir ?? Path.Combine("reports", $"{time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}-{plan.Name}");
        ReportFolder.EnsureUsable(folder, options.ReportDir is null ? "report folder" : "--report-dir");

        var cluster = await ConnectAsync(plan, options, log, cancellationToken).ConfigureAwait(false);
        var factory = options.WalletClientFactory ?? ((urls, timeout) => new HttpWalletClient(urls, timeout));
        await using var clusterScope = cluster.ConfigureAwait(false);
        plan = ResolveSeededNodeEvents(plan, cluster, log);

        using var control = new ControlPlaneClient(cluster.ControlUri);
        var wallet = factory(cluster.WalletUrls, plan.Client.Timeout);
        using var walletScope = wallet as IDisposable;
        using var otp = new OtpReader(cluster.SmsUri);

        if (options.ResetSimulator && !plan.Target.IsEmbedded)
        {
            // Shard 1 plays the faults for every shard: another shard resetting the shared simulator would remove them.
            log.WriteLine(shard.AppliesTimeline
                ? await SimulatorReset.ResetAsync(control, cluster.ControlUri, cancellationToken).ConfigureAwait(false)
                : $"reset: shard {shard} leaves --reset-simulator to shard 1, which plays the faults for every shard");
        }

        if (!plan.Target.IsEmbedded && shard.AppliesTimeline)
        {
            await RefuseFaultNameClashAsync(plan, control, cluster.ControlUri, cancellationToken).ConfigureAwait(false);
        }

        var warnings = new List<string>();
        if (!plan.Target.IsEmbedded && shard.AppliesTimeline && await LeftoverFaultsAsync(control, cluster.ControlUri, cancellationToken).ConfigureAwait(false) is { } leftover)
        {
            warnings.Add(leftover);
            log.WriteLine($"warning: {leftover}");
        }

        if (plan.Claims.Count == 0)
        {
            // k6 runs without thresholds too, but a plan edited down to no claims must not read as a gate that held.
            const string noClaims = "the plan has no claims: its verdict checks nothing and passes whatever the run does";
            warnings.Add(noClaims);
            log.WriteLine($"warning: {noClaims}");
        }

        // The plan's risk rules go in before anything binds or pays; the judge and the card-pool check read what is in force.
        var risk = await RiskRulesScope.StartAsync(plan, control, restore: !plan.Target.IsEmbedded && shard.AppliesTimeline, log, cancellationToken).ConfigureAwait(false);
        await using var riskScope = risk.ConfigureAwait(false);
        if (CardPoolCheck.Warning(plan, risk.Rules) is { } poolWarning)
        {
            warnings.Add(poolWarning);
            log.WriteLine($"warning: {poolWarning}");
        }

        if (!shard.AppliesTimeline && plan.Faults.Count + plan.NodeEvents.Count > 0)
        {
            // Alone, this shard's report reads as a pass of a fault plan by a load that met no fault.
            var shardWarning = $"shard {shard.Index}/{shard.Count} plays none of the plan's {plan.Faults.Count + plan.NodeEvents.Count} faults and events: shard 1 plays them for every shard"
                + (plan.Target.IsEmbedded ? ", on its own embedded cluster, so they never reach this shard's users" : " on the shared simulator")
                + (plan.Target.IsEmbedded
                    ? "; this report alone does not judge the plan under them, and merge refuses it: run every shard against one external target (docs/scale-out.md)"
                    : "; this report alone does not judge the plan under them: merge every shard's report (docs/scale-out.md)");
            warnings.Add(shardWarning);
            log.WriteLine($"warning: {shardWarning}");
        }

        log.WriteLine($"preparing: {plan.PreboundCards} users with a bound card, cardholders for {string.Join(", ", plan.Personas.Keys)}");
        var data = await PrepareAsync(plan, shard, cluster, control, wallet, otp, counters, time, cancellationToken).ConfigureAwait(false);
        var calls = new AppCallLog();
        var declines = await JudgeOfDeclinesAsync(plan, shard, control, data, risk.Rules, time, log, cancellationToken).ConfigureAwait(false);
        flows.Value = new WalletFlows(wallet, otp, data, counters, plan.Client, time, calls, declines);
        var views = new ViewReader(control, wallet, time);
        var ledgerStart = await views.StartAsync(cancellationToken).ConfigureAwait(false);

        var riskBefore = await StepUpRiskAsync(plan, control, log, cancellationToken).ConfigureAwait(false);
        var before = await SnapshotAsync(control, wallet, cancellationToken).ConfigureAwait(false);
        log.WriteLine($"running {plan.Name}: {DurationText.Format(plan.Duration)} at {RateText.Format(plan.Rate)}/s against {cluster.Kind} target ({string.Join(", ", cluster.WalletUrls)})");
        // Faults and node events act on the shared simulator: one agent plays them for all shards.
        var timeline = new FaultTimeline(shard.AppliesTimeline ? plan : plan with { Faults = [], NodeEvents = [] }, control, time, cluster.WalletControl, events);
        var result = await PlayAsync(runner, timeline, declines, counters, rawOut, cancellationToken).ConfigureAwait(false);
        if (rawOut is not null)
        {
            var (outLine, outWarning) = rawOut.Closing();
            log.WriteLine(outLine);
            if (outWarning is not null)
            {
                warnings.Add(outWarning);
                log.WriteLine($"warning: {outWarning}");
            }
        }

        foreach (var droppedWarning in DroppedIterations.Warnings(result.Summary, plan.Scenarios))
        {
            warnings.Add(droppedWarning);
            log.WriteLine($"warning: {droppedWarning}");
        }

        if (GeneratorLag.Warning(result.TimeSeries) is { } lagWarning)
        {
            warnings.Add(lagWarning);
            log.WriteLine($"warning: {lagWarning}");
        }

        if (otlp?.Finish() is { } otlpWarning)
        {
            warnings.Add(otlpWarning);
            log.WriteLine($"warning: {otlpWarning}");
        }

        // The run may have been cancelled; the closing snapshots must still be taken.
        using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var after = await SnapshotAsync(control, wallet, closing.Token).ConfigureAwait(false);
        if (riskBefore is not null)
        {
            await control.SetRiskAsync(riskBefore, closing.Token).ConfigureAwait(false);
        }

        var summary = result.Summary;
        var aborted = cancellationToken.IsCancellationRequested;
        if (aborted)
        {
            summary.AbortReason = $"interrupted (Ctrl+C or SIGTERM) after {summary.DurationS.ToString("0.#", CultureInfo.InvariantCulture)}s of {DurationText.Format(plan.Duration)}; faults and wallet events were reverted, the report covers what ran";
        }

        var stoppedBy = aborted ? null : abortOnFail.Reason;
        if (stoppedBy is not null)
        {
            // The plan's own stop, not the user's: the run settles and reconciles as usual, and its verdict is fail (exit 1).
            summary.AbortReason = stoppedBy;
            log.WriteLine($"stopped early: {stoppedBy}");
        }

        // A fault, node event or wallet event the plan asked for that could not be applied (a refused rule, a wallet hook
        // that failed): the load ran, but not the plan as written, so its claims cannot certify it (no verdict, exit 3).
        var notPlayed = timeline.Log.Where(e => e.Error is not null).ToArray();
        if (!aborted && notPlayed.Length > 0)
        {
            summary.AbortReason = $"{NotAsWritten.Prefix}{string.Join("; ", notPlayed.Select(e => $"\"{e.What}\" at {e.AtS.ToString("0.#", CultureInfo.InvariantCulture)}s failed ({e.Error})"))}; its claims were judged over a run without it"
                + (stoppedBy is null ? string.Empty : $"; {stoppedBy}");
        }

        // No iteration ran after the warm-up (every one dropped, or none scheduled): the claims would be judged over nothing,
        // and a pass would certify a wallet that was never called, so there is no verdict (exit 3).
        if (!aborted && summary.AbortReason is null && NotAsWritten.NoIterationRan(summary) is { } noLoad)
        {
            summary.AbortReason = noLoad;
        }

        var issuerNodes = IssuerNodesDuringRun(before, after);
        var walletInstances = CountWalletInstances(cluster, wallet, before, after);
        var reconciliation = await ReconcileAsync(plan, views, ledgerStart, calls, data, log, cancellationToken).ConfigureAwait(false);
        var figures = FigureBuilder.Build(plan, result, counters, issuerNodes, walletInstances, before.Invariants, after.Invariants, (after.MemoryBytes - before.MemoryBytes) / (1024.0 * 1024.0), reconciliation, out var extra);
        JudgeClaims(plan, summary, figures, stoppedBy is null ? null : abortOnFail);
        GeneratorLag.Annotate(summary.Claims, result.TimeSeries);
        WriteExtra(summary, extra, plan, shard, cluster, wallet, issuerNodes, timeline, aborted);
        if (stoppedBy is not null && abortOnFail.Failed is { } failed)
        {
            summary.Extra["stoppedByClaim"] = new JsonObject
            {
                ["claim"] = failed.Text,
                ["atS"] = Math.Round(failed.AtS, 3),
                ["observed"] = failed.Observed,
            };
        }

        summary.Extra["warnings"] = new JsonArray(warnings.Select(w => (JsonNode?)w).ToArray());
        if (rawOut is not null)
        {
            // What --out wrote: a script reading the file checks its point count against the report's requests here.
            summary.Extra["out"] = new JsonObject
            {
                ["path"] = Path.GetFullPath(rawOut.Target.Path),
                ["format"] = "json",
                ["gzip"] = rawOut.Target.Gzip,
                ["requests"] = rawOut.WrittenRequests,
                ["points"] = rawOut.WrittenPoints,
                ["dropped"] = rawOut.DroppedRequests,
            };
        }

        summary.Command = options.Command;

        await ReportWriter.WriteAsync(folder, summary, result.TimeSeries, CancellationToken.None).ConfigureAwait(false);
        return new RunOutcome(summary, Path.GetFullPath(folder));
    }

    /// <summary>
    /// A plan fault named like a rule already on an external simulator would replace that rule and, at the end of the
    /// run, delete it: the operator's rule would be gone. Refused before anything changes (exit 2), naming both.
    /// </summary>
    private static async Task RefuseFaultNameClashAsync(LoadPlan plan, ControlPlaneClient control, Uri controlUri, CancellationToken ct)
    {
        if (plan.Faults.Count == 0)
        {
            return;
        }

        var existing = (await control.GetFaultNamesAsync(ct).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < plan.Faults.Count; i++)
        {
            if (existing.Contains(plan.Faults[i].Name))
            {
                throw new PlanException(
                    $"faults[{i}].name: \"{plan.Faults[i].Name}\" is already a fault rule on the simulator at {controlUri}; the run would replace it and delete it at the end. Rename the plan's rule, or remove the simulator's first (DELETE /v1/faults?name={Uri.EscapeDataString(plan.Faults[i].Name)}).");
            }
        }
    }

    /// <summary>
    /// An external simulator is never reset by a run, so fault rules or node states someone left there act on the run's
    /// calls without being in its fault timeline: said before the load starts (one line, and in summary.json warnings).
    /// </summary>
    private static async Task<string?> LeftoverFaultsAsync(ControlPlaneClient control, Uri controlUri, CancellationToken ct)
    {
        var rules = await control.GetFaultNamesAsync(ct).ConfigureAwait(false);
        IReadOnlyList<SimNode> nodes;
        try
        {
            nodes = await control.GetNodesAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or PlanException)
        {
            nodes = [];
        }

        var odd = nodes.Where(n => !string.Equals(n.State, "UP", StringComparison.OrdinalIgnoreCase)).Select(n => $"{n.Name} {n.State}").ToArray();
        if (rules.Count == 0 && odd.Length == 0)
        {
            return null;
        }

        var parts = new List<string>();
        if (rules.Count > 0)
        {
            parts.Add($"{rules.Count} fault rule(s) already in force ({string.Join(", ", rules.Take(5))}{(rules.Count > 5 ? ", …" : string.Empty)})");
        }

        if (odd.Length > 0)
        {
            parts.Add($"node(s) not up ({string.Join(", ", odd)})");
        }

        return $"the simulator at {controlUri} has {string.Join(" and ", parts)} before the run: they act on its calls and are not in its fault timeline (remove them first: run with --reset-simulator, or DELETE /v1/faults, POST /v1/nodes/NAME/up)";
    }

    /// <summary>The plan's scenarios on the load engine, each iteration played by the run's wallet flows (set once the users are prepared).</summary>
    private static LoadTestRunner CreateRunner(LoadPlan plan, RunOptions options, StrongBox<WalletFlows> flows, RunEvents events, OtlpExport? otlp, AbortOnFailCheck abortOnFail, JsonLinesOutput? rawOut)
    {
        var scenarios = plan.Scenarios.Select(s =>
            Scenario.Create(s.Name, ctx => flows.Value!.RunAsync(s.Kind, ctx, s.Mix))
                .WithLoadSimulations(s.Load.ToArray())
                .WithMaxConcurrency(s.MaxConcurrency)
                .WithWarmUpDuration(plan.WarmUp)).ToArray();
        var runner = LoadTestRunner.RegisterScenarios(scenarios)
            .WithPlanName(plan.Name)
            .WithProgress(options.ShowProgress)
            .WithSeed(plan.Seed)
            .WithTimeProvider(options.TimeProvider)
            .WithGracefulStop(plan.Client.Timeout + TimeSpan.FromSeconds(1));
        runner = runner.WithRunEvents(events);
        if (abortOnFail.Any)
        {
            runner = runner.WithLiveCheck(abortOnFail.Check);
        }

        if (otlp is not null)
        {
            // The per-second gauges as a sink, every request's latency on the histograms as an observer.
            runner = runner.WithReportingSinks(otlp.Sink).WithRequestObserver(otlp);
        }

        if (rawOut is not null)
        {
            runner = runner.WithRequestObserver(rawOut);
        }

        try
        {
            runner.Validate();
        }
        catch (LoadConfigException ex)
        {
            throw new PlanException($"plan {plan.Source}: {ex.Message}", ex);
        }

        return runner;
    }

    /// <summary>External targets are checked before anything starts; a bad one is exit 2 with nothing left behind.</summary>
    private static async Task<ITargetCluster> ConnectAsync(LoadPlan plan, RunOptions options, TextWriter log, CancellationToken cancellationToken) =>
        plan.Target.External is { } external
            ? await RemoteCluster.ConnectAsync(plan, external, options.WalletClientFactory, log, cancellationToken).ConfigureAwait(false)
            : await StartEmbeddedAsync(plan, log, cancellationToken).ConfigureAwait(false);

    /// <summary>"node": "seeded" picks an issuer node of the target from the run's seed, so the lost node varies by seed.</summary>
    private static LoadPlan ResolveSeededNodeEvents(LoadPlan plan, ITargetCluster cluster, TextWriter log)
    {
        plan = plan with { NodeEvents = NodeEventCompiler.Resolve(plan.NodeEvents, cluster.IssuerNodeNames, plan.Seed) };
        foreach (var e in plan.NodeEvents.Where(e => e.Seeded))
        {
            log.WriteLine($"node events: seed {plan.Seed} picks {e.Node} of {cluster.IssuerNodeNames.Count} issuer nodes to go {(e.State == NodeEventState.Down ? "down" : "not-serving")} at {DurationText.Format(e.Start)} (another --seed picks another node)");
        }

        return plan;
    }

    /// <summary>
    /// A plan with the step-up scenario (on its own or in a journey's mix) asks the simulator for SMS step-up above the app's usual amounts
    /// (<see cref="WalletFlows.StepUpThreshold"/>), so its other payments stay below it. Returns the rules to put back
    /// after the run, or null when nothing was changed.
    /// </summary>
    private static async Task<System.Text.Json.Nodes.JsonObject?> StepUpRiskAsync(LoadPlan plan, ControlPlaneClient control, TextWriter log, CancellationToken ct)
    {
        if (!plan.Scenarios.Any(s => s.Kind == ScenarioKind.StepUp || s.Mix.ContainsKey(ScenarioKind.StepUp)))
        {
            return null;
        }

        var rules = await control.GetRiskObjectAsync(ct).ConfigureAwait(false);
        var stepUp = (System.Text.Json.Nodes.JsonObject)rules.DeepClone();
        var threshold = WalletFlows.StepUpThreshold(plan.Client);
        stepUp["stepUp"] = new System.Text.Json.Nodes.JsonObject { ["aboveMinor"] = threshold };
        await control.SetRiskAsync(stepUp, ct).ConfigureAwait(false);
        log.WriteLine($"step-up: the simulator asks for the SMS code above {threshold} minor units (restored after the run)");
        return rules;
    }

    private static async Task<RunSnapshot> SnapshotAsync(ControlPlaneClient control, IWalletClient wallet, CancellationToken cancellationToken)
    {
        var stats = await control.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        var invariants = await control.GetInvariantsAsync(cancellationToken).ConfigureAwait(false);
        var served = wallet.ServedBy;
        return new RunSnapshot(stats, invariants, served, GC.GetTotalMemory(forceFullCollection: true));
    }

    /// <summary>Plays the load and the fault timeline together; the counters record, and <c>--out</c>'s file is open, only while the load runs.</summary>
    private static async Task<RunResult> PlayAsync(LoadTestRunner runner, FaultTimeline timeline, DeclineJudge declines, RunCounters counters, JsonLinesOutput? rawOut, CancellationToken cancellationToken)
    {
        rawOut?.Start();
        counters.Recording = true;
        declines.Start();
        timeline.Start();
        try
        {
            return await runner.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await timeline.DisposeAsync().ConfigureAwait(false);
            counters.Recording = false;
            if (rawOut is not null)
            {
                await rawOut.FinishAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Each issuer node's calls during the run (the SMS gateway is no issuer node).</summary>
    private static NodeCounters[] IssuerNodesDuringRun(RunSnapshot before, RunSnapshot after) =>
        after.Stats
            .Where(n => !n.Name.StartsWith("sms", StringComparison.OrdinalIgnoreCase))
            .Select(n => n.Minus(before.Stats.FirstOrDefault(b => b.Name == n.Name)))
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToArray();

    /// <summary>Every instance the run was given counts, at zero when it never answered (docs/plans.md, "Claims").</summary>
    private static IReadOnlyList<WalletInstanceCount> CountWalletInstances(ITargetCluster cluster, IWalletClient wallet, RunSnapshot before, RunSnapshot after)
    {
        var givenInstances = cluster.WalletUrls.Select((u, i) => new GivenWalletInstance(u.ToString(), cluster.WalletInstanceNames[i])).ToArray();
        return WalletInstanceCensus.Count(
            givenInstances,
            after.ServedBy.ToDictionary(kv => kv.Key, kv => kv.Value - before.ServedBy.GetValueOrDefault(kv.Key), StringComparer.Ordinal),
            (wallet as HttpWalletClient)?.ServedThrough);
    }

    private static void JudgeClaims(LoadPlan plan, RunSummary summary, RunFigures figures, AbortOnFailCheck? stoppedBy)
    {
        for (var i = 0; i < plan.Claims.Count; i++)
        {
            var judged = ClaimMetrics.Judge(plan.Claims[i].Name, plan.Claims[i].Text, figures.Lookup);
            if (stoppedBy?.Failed?.Index == i)
            {
                stoppedBy.Mark(judged);
            }

            summary.AddClaim(judged);
        }
    }

    /// <summary>summary.json's fields beyond the engine's: the figures' sections, the target, the shard and the fault timeline as played.</summary>
    private static void WriteExtra(
        RunSummary summary, JsonObject extra, LoadPlan plan, ShardSpec shard, ITargetCluster cluster, IWalletClient wallet,
        IReadOnlyList<NodeCounters> issuerNodes, FaultTimeline timeline, bool aborted)
    {
        foreach (var (key, value) in extra)
        {
            summary.Extra[key] = value?.DeepClone();
        }

        summary.Extra["target"] = new JsonObject
        {
            ["kind"] = cluster.Kind,
            ["walletMode"] = cluster.WalletMode,
            ["walletUrls"] = new JsonArray(cluster.WalletUrls.Select(u => (JsonNode?)u.ToString()).ToArray()),
            ["walletInstanceNames"] = new JsonArray(cluster.WalletInstanceNames.Select(n => (JsonNode?)n).ToArray()),
            ["simulatorUrl"] = cluster.ControlUri.ToString(),
            ["nodes"] = plan.Target.IsEmbedded ? plan.Target.Embedded.Nodes : issuerNodes.Count,
            ["walletInstances"] = plan.Target.IsEmbedded ? plan.Target.Embedded.WalletInstances : cluster.WalletUrls.Count,
            ["balancingPolicy"] = plan.Target.IsEmbedded ? plan.Target.Embedded.BalancingPolicy : null,
            ["walletBalancing"] = wallet.Balancing,
            ["walletProcesses"] = plan.Target.IsEmbedded,
            ["defects"] = new JsonArray((plan.Target.IsEmbedded ? plan.Target.Embedded.Defects : []).Select(d => (JsonNode?)d).ToArray()),
        };
        summary.Extra["aborted"] = aborted;
        summary.Extra["seed"] = plan.Seed;
        if (shard.IsSharded)
        {
            // planEvents: the plan's faults, node and wallet events (shard 1 plays them); merge refuses embedded shards of such a plan.
            summary.Extra["shard"] = new JsonObject { ["index"] = shard.Index, ["count"] = shard.Count, ["planEvents"] = plan.Faults.Count + plan.NodeEvents.Count };
        }

        summary.Extra["rate"] = plan.Rate;
        summary.Extra["faultTimeline"] = new JsonArray(timeline.Log.Select(e => (JsonNode?)new JsonObject
        {
            ["what"] = e.What,
            ["atS"] = e.AtS,
            ["error"] = e.Error,
            ["command"] = e.Command,
            ["exitCode"] = e.ExitCode,
        }).ToArray());
    }

    /// <summary>After the load: waits up to the settle window, reads the wallet's and issuer's views and reconciles them with the app's calls.</summary>
    private static async Task<ReconciliationResult> ReconcileAsync(LoadPlan plan, ViewReader views, (string? Cursor, string? Error) start, AppCallLog calls, ScenarioData data, TextWriter log, CancellationToken cancellationToken)
    {
        // A cancelled run still reconciles what it did, without waiting.
        var settle = cancellationToken.IsCancellationRequested ? TimeSpan.Zero : plan.Settle;
        using var bounded = new CancellationTokenSource(settle + TimeSpan.FromSeconds(60));
        var cards = data.Prebound.Select(p => new RunCard(p.User, p.Pan)).ToArray();
        log.WriteLine($"reconciling: {cards.Length} cards, settle window up to {DurationText.Format(settle)}");
        var (read, waited, settled) = await views.SettleAsync(start, calls.Snapshot(), cards, settle, bounded.Token).ConfigureAwait(false);
        var result = Reconciler.Reconcile(read);
        result.Settle = new JsonObject
        {
            ["limitS"] = settle.TotalSeconds,
            ["waitedS"] = Math.Round(waited.TotalSeconds, 3),
            ["settled"] = settled,
        };
        return result;
    }

    /// <summary>
    /// What explains a payment's decline (docs/plans.md, "Declines"): the prepared cards with what earlier runs took
    /// from them on the issuer's ledger, and the plan's decline faults.
    /// </summary>
    private static async Task<DeclineJudge> JudgeOfDeclinesAsync(LoadPlan plan, ShardSpec shard, ControlPlaneClient control, ScenarioData data, PaySim.Simulator.Risk.RiskRules? risk, TimeProvider time, TextWriter log, CancellationToken ct)
    {
        IReadOnlyDictionary<string, EarlierSpending> earlier = new Dictionary<string, EarlierSpending>(StringComparer.Ordinal);
        if (data.Prebound.Count > 0)
        {
            var pans = data.Prebound.Select(p => p.Pan).ToHashSet(StringComparer.Ordinal);
            var (spending, rows, error) = await EarlierSpendingReader.ReadAsync(control, pans, time, ct).ConfigureAwait(false);
            if (spending is null)
            {
                log.WriteLine($"declines: {error}; what earlier runs took from the cards is unknown, so a decline for money or the daily limit is judged on this run's payments alone");
            }
            else
            {
                earlier = spending;
                if (rows > 0)
                {
                    log.WriteLine($"declines: earlier runs left {rows} authorizations on {spending.Count} of the run's {pans.Count} cards; their money and limits count");
                }
            }
        }

        return new DeclineJudge(data.Prebound.Select(p => p.Holder), earlier, plan.Faults, plan.Client.Timeout + TimeSpan.FromSeconds(1), faultsAnyTime: !shard.AppliesTimeline, time, risk);
    }

    private static async Task<ITargetCluster> StartEmbeddedAsync(LoadPlan plan, TextWriter log, CancellationToken cancellationToken)
    {
        var e = plan.Target.Embedded;
        log.WriteLine($"starting embedded cluster: {e.Nodes} issuer nodes, SMS gateway, control plane, {e.WalletInstances} {e.WalletMode} wallet instances ({e.BalancingPolicy}){(e.Defects.Count > 0 ? $", planted defects: {string.Join(", ", e.Defects)}" : string.Empty)}");
        return await EmbeddedCluster.StartAsync(e, plan.Seed, plan.Client.SmsTimeout, plan.Personas.Keys, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ScenarioData> PrepareAsync(LoadPlan plan, ShardSpec shard, ITargetCluster cluster, ControlPlaneClient control, IWalletClient wallet, OtpReader otp, RunCounters counters, TimeProvider time, CancellationToken ct)
    {
        var preboundCount = plan.PreboundCards;
        // Shards take the cardholders at positions ≡ index-1 mod n, so no two agents bind or pay with the same card.
        var healthy = shard.Partition(await control.GetCardholdersAsync(preboundCount * 2 * shard.Count, "healthy", 0, ct).ConfigureAwait(false));
        var byPersona = new Dictionary<string, SimCardholder[]>(StringComparer.Ordinal);
        foreach (var persona in plan.Personas.Keys)
        {
            // Onboarding uses cardholders the prepared users do not hold, so two flows rarely share a phone's inbox.
            var offset = persona == "healthy" ? preboundCount * 2 * shard.Count : 0;
            IReadOnlyList<SimCardholder> list = shard.Partition(await control.GetCardholdersAsync(500, persona, offset, ct).ConfigureAwait(false), offset);
            if (list.Count == 0 && persona == "healthy")
            {
                list = healthy;
            }

            byPersona[persona] = list.ToArray();
        }

        // Embedded runs start from an empty wallet; external wallets keep users, so their phones must not repeat across runs.
        long phoneBase = cluster.Kind == "embedded"
            ? (long)(Draw.Unit(plan.Seed, 9, 0) * 500_000_000)
            : time.GetUtcNow().ToUnixTimeSeconds() % 1_000_000 * 1_000;
        // Each shard registers phones from its own slice of the number space.
        phoneBase += (shard.Index - 1) * (1_000_000_000L / shard.Count);
        var needsCards = plan.Scenarios.Any(s => s.Kind is not (ScenarioKind.Onboarding or ScenarioKind.PasswordReset));
        var provisional = new ScenarioData("setup", plan.Seed, plan.Personas, byPersona, [], phoneBase);
        // Preparation keeps the wallet's failed replies, so a preparation that binds nothing can show the first in full.
        var recorder = new SetupCallRecorder(wallet);
        var setupFlows = new WalletFlows(recorder, otp, provisional, counters, plan.Client);
        var prebound = new List<PreboundCard>();
        if (needsCards)
        {
            var candidates = healthy.OrderByDescending(c => c.BalanceMinor).Take(preboundCount).ToArray();
            if (candidates.Length == 0)
            {
                throw new RunSetupException("the simulator returned no healthy cardholders to prepare users with.");
            }

            var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var bound = new System.Collections.Concurrent.ConcurrentBag<PreboundCard>();
            await Parallel.ForEachAsync(candidates, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (c, token) =>
            {
                var user = await recorder.RegisterAsync(provisional.NextPhone(), WalletFlows.Password, WalletFlows.Pin, token).ConfigureAwait(false);
                if (user is not { Ok: true, Value: { } u })
                {
                    failures.Enqueue($"register {user.Code}");
                    return;
                }

                var (outcome, card) = await setupFlows.BindAsync(null, u, c, record: false).ConfigureAwait(false);
                if (card is null)
                {
                    failures.Enqueue($"bind {outcome.StatusCode ?? "failed"}");
                    return;
                }

                bound.Add(new PreboundCard(u, card, c.Currency, c.Pan, c));
            }).ConfigureAwait(false);
            prebound = bound.OrderBy(b => b.User.Phone, StringComparer.Ordinal).ToList();
            if (prebound.Count == 0)
            {
                throw new RunSetupException(SetupFailure.Describe(failures, recorder.Failed, plan.Client));
            }
        }

        var resetUsers = Uses(plan, ScenarioKind.PasswordReset) ? await RegisterResetUsersAsync(recorder, provisional, ct).ConfigureAwait(false) : [];
        var merchants = Uses(plan, ScenarioKind.QrPay) ? await control.GetMerchantsAsync(QrMerchants, ct).ConfigureAwait(false) : [];
        if (Uses(plan, ScenarioKind.QrPay) && merchants.Count == 0)
        {
            throw new RunSetupException("the simulator listed no merchants (GET /v1/merchants) for the qr-pay scenario to pay.");
        }

        var runId = cluster.Kind == "embedded"
            ? $"run{plan.Seed}"
            : $"run{time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";
        if (shard.IsSharded)
        {
            // Order references and idempotency keys carry the shard, so two agents never send the same key.
            runId += $"-s{shard.Index}of{shard.Count}";
        }

        return new ScenarioData(runId, plan.Seed, plan.Personas, byPersona, prebound, phoneBase + 100_000) { ResetUsers = resetUsers, Merchants = merchants };
    }

    /// <summary>Users made for the password-reset scenario before the load (more are registered during it when all are busy).</summary>
    private const int ResetUsers = 8;

    /// <summary>Merchants the qr-pay scenario pays, read once from the simulator.</summary>
    private const int QrMerchants = 20;

    private static bool Uses(LoadPlan plan, ScenarioKind kind) =>
        plan.Scenarios.Any(s => s.Kind == kind || (s.Kind == ScenarioKind.Journey && s.Mix.ContainsKey(kind)));

    private static async Task<IReadOnlyList<WalletUser>> RegisterResetUsersAsync(SetupCallRecorder recorder, ScenarioData provisional, CancellationToken ct)
    {
        var users = new System.Collections.Concurrent.ConcurrentBag<WalletUser>();
        await Parallel.ForEachAsync(Enumerable.Range(0, ResetUsers), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (_, token) =>
        {
            var user = await recorder.RegisterAsync(provisional.NextPhone(), WalletFlows.Password, WalletFlows.Pin, token).ConfigureAwait(false);
            if (user is { Ok: true, Value: { } u })
            {
                users.Add(u);
            }
        }).ConfigureAwait(false);
        if (users.IsEmpty)
        {
            throw new RunSetupException($"could not register any of the {ResetUsers} users the password-reset scenario resets: " + string.Join("; ", recorder.Failed.Take(1).Select(f => $"{f.Step} {f.Status} {f.Code}: {f.Message}")));
        }

        return users.OrderBy(u => u.Phone, StringComparer.Ordinal).ToArray();
    }
}

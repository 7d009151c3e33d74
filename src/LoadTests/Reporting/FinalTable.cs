using System.Globalization;
using System.Text.Json.Nodes;
using PaySim.LoadEngine;
using Spectre.Console;


namespace PaySim.LoadTests.Reporting;

/// <summary>What the console shows at the end of a run: scenarios, steps, issuer nodes, wallet instances, claims, verdict.</summary>
internal static class FinalTable
{
    public static void Print(IAnsiConsole console, RunSummary summary, string reportFolder)
    {
        var scenarios = new Table().Title("scenarios").AddColumns("scenario", "ok", "fail", "rps", "p50 ms", "p99 ms", "max ms", "dropped");
        foreach (var s in summary.Scenarios)
        {
            scenarios.AddRow(Esc(s.Name), N(s.Ok), N(s.Fail), F(s.Rps), F(s.LatencyMs.P50), F(s.LatencyMs.P99), F(s.LatencyMs.Max), N(s.Dropped));
        }

        console.Write(scenarios);

        var steps = new Table().Title("steps (all scenarios)").AddColumns("step", "ok", "fail", "p50 ms", "p99 ms", "max ms", "top codes");
        foreach (var g in summary.Scenarios.SelectMany(s => s.Steps).GroupBy(s => s.Name).OrderBy(g => StepOrder(g.Key)))
        {
            var merged = Claims.StatsLookup.Merge(g.Key, g.ToArray());
            var codes = string.Join(" ", merged.StatusCodes.OrderByDescending(kv => kv.Value).Take(3).Select(kv => $"{kv.Key}:{kv.Value}"));
            steps.AddRow(Esc(g.Key), N(merged.Ok), N(merged.Fail), F(merged.LatencyMs.P50), F(merged.LatencyMs.P99), F(merged.LatencyMs.Max), Esc(codes));
        }

        console.Write(steps);

        if (summary.Extra["nodes"] is JsonArray { Count: > 0 } nodes)
        {
            var table = new Table().Title("issuer nodes (simulator counters)").AddColumns("node", "requests", "errors", "share");
            foreach (var n in nodes.OfType<JsonObject>())
            {
                table.AddRow(Esc(n["name"]?.ToString() ?? "?"), n["requests"]?.ToString() ?? "0", n["errors"]?.ToString() ?? "0", Pct(n["share"]));
            }

            console.Write(table);
        }

        if (summary.Extra["walletInstances"] is JsonArray { Count: > 0 } instances)
        {
            var table = new Table().Title("wallet instances (X-Served-By)").AddColumns("instance", "replies", "share");
            foreach (var n in instances.OfType<JsonObject>())
            {
                var silent = n["answered"] is JsonValue a && a.TryGetValue<bool>(out var answered) && !answered;
                table.AddRow(Esc(n["name"]?.ToString() ?? "?"), (n["replies"]?.ToString() ?? "0") + (silent ? " (never answered)" : string.Empty), Pct(n["share"]));
            }

            console.Write(table);
        }

        if (summary.Extra["capacity"] is JsonObject capacity && capacity["steps"] is JsonArray { Count: > 0 } capSteps)
        {
            var table = new Table().Title("capacity steps (" + Esc(string.Join(", ", (capacity["objectives"] as JsonArray ?? []).Select(o => o?.ToString()))) + ")")
                .AddColumns("rate /s", "achieved /s", "p99 ms", "ok", "meets objectives");
            foreach (var st in capSteps.OfType<JsonObject>())
            {
                table.AddRow(st["rate"]?.ToString() ?? "-", st["rps"]?.ToString() ?? "-", st["p99Ms"]?.ToString() ?? "-", Pct(st["okRate"]), st["pass"] is null ? "not judged (generator late)" : st["pass"]!.GetValue<bool>() ? "yes" : "no");
            }

            console.Write(table);
            var reached = capacity["kneeReached"]?.GetValue<bool>() == true;
            console.MarkupLine(capacity["kneeRps"] is { } knee
                ? $"knee: {Esc(knee.ToString())}/s" + (reached ? string.Empty : " (not reached: every judged step met the objectives)")
                : "knee: none (no step could be judged: the generator was late in all of them)");
        }

        PrintReconciliation(console, summary.Extra["reconciliation"] as JsonObject);

        var claims = new Table().Title("claims").AddColumns("claim", "observed", "result");
        foreach (var c in summary.Claims)
        {
            claims.AddRow(Esc(c.Expression), Esc(c.ObservedText + (c.Message is null ? string.Empty : $" ({c.Message})")), c.Pass ? "[green]pass[/]" : "[red]FAIL[/]");
        }

        console.Write(claims);
        var notAsWritten = NotAsWritten.Is(summary);
        if (summary.AbortReason is not null)
        {
            // An abortOnFail stop says "the run stopped early" itself (summary.json stoppedByClaim).
            var saysItself = notAsWritten || summary.Extra["stoppedByClaim"] is not null;
            console.MarkupLine(saysItself ? $"[yellow]{Esc(summary.AbortReason)}[/]" : $"[yellow]run stopped early: {Esc(summary.AbortReason)}[/]");
        }

        if (summary.Command is not null)
        {
            console.MarkupLine($"run again: {Esc(summary.Command)}");
        }

        console.MarkupLine($"report: {Esc(reportFolder)}");
        var failed = summary.Claims.Count(c => !c.Pass);
        console.MarkupLine(summary.Passed
            ? $"[green]verdict: pass[/] ({summary.Claims.Count} of {summary.Claims.Count} claims hold)"
            : notAsWritten
                ? $"[red]no verdict[/] (the plan did not run as written; {summary.Claims.Count - failed} of {summary.Claims.Count} claims held over what ran)"
            : failed == 0
                ? $"[red]verdict: fail[/] (the run stopped early; {summary.Claims.Count} of {summary.Claims.Count} claims held over what ran)"
                : $"[red]verdict: fail[/] ({failed} of {summary.Claims.Count} claims failed: {Esc(string.Join("; ", summary.Claims.Where(c => !c.Pass).Select(c => $"{c.Expression} (observed {c.ObservedText})")))})");
    }

    /// <summary>Every run's money figures, with the first evidence row of each non-zero one.</summary>
    private static void PrintReconciliation(IAnsiConsole console, JsonObject? reconciliation)
    {
        if (reconciliation is null)
        {
            return;
        }

        var table = new Table().Title("reconciliation").AddColumns("figure", "value", "first evidence");
        foreach (var (metric, field) in Claims.ClaimMetrics.Reconciliation)
        {
            var value = reconciliation[field]?.ToString() ?? "no value";
            var first = (reconciliation["evidence"]?[field] as JsonArray)?.FirstOrDefault() is JsonObject row
                ? $"{row["card"]} {row["orderReference"] ?? row["id"]}: {row["reason"]}"
                : string.Empty;
            table.AddRow(Esc(metric), Esc(value), Esc(first));
        }

        console.Write(table);
        var settle = reconciliation["settle"];
        var views = reconciliation["views"];
        console.MarkupLine(Esc($"reconciled: {views?["app"]?["payments"]} app payments, {views?["wallet"]?["transactions"]?.ToString() ?? "-"} wallet transactions, "
            + $"{views?["issuer"]?["entries"]?.ToString() ?? "-"} issuer authorizations; settled after {settle?["waitedS"]} s of up to {settle?["limitS"]} s"));
        foreach (var view in new[] { "wallet", "issuer" })
        {
            if (reconciliation["views"]?[view]?["error"]?.ToString() is { Length: > 0 } error)
            {
                console.MarkupLine($"[yellow]{view} view not read: {Esc(error)}[/]");
            }
        }
    }

    private static int StepOrder(string name) => Steps.StepNames.All.ToList().IndexOf(name) is var i && i >= 0 ? i : 99;

    private static string Esc(string text) => Markup.Escape(text);

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Pct(JsonNode? share) =>
        share is JsonValue v && v.TryGetValue<double>(out var d) ? (d * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";
}

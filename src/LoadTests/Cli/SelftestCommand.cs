using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Reporting;
using PaySim.LoadTests.Running;
using PaySim.LoadTests.Selftest;
using PaySim.Wallet.Defects;
using Spectre.Console;

namespace PaySim.LoadTests.Cli;

/// <summary>
/// <c>selftest</c>: would a broken wallet have gone red? Every shipped plan (soak and capacity excepted) against the
/// resilient wallet, clean and with each planted defect; exit 0 when the clean wallet passes every plan, every defect
/// fails at least one and every promise run is kept (<see cref="SelftestMatrix"/>), 1 otherwise (naming the false
/// alarms, the defects nothing caught and the broken promises), 2 on bad input.
/// </summary>
internal static class SelftestCommand
{
    public const string Name = "selftest";

    /// <summary>Plans longer than this (soak) judge drift over a long run and are left out unless named.</summary>
    public static readonly TimeSpan LongestDefaultPlan = TimeSpan.FromMinutes(10);

    /// <summary>Test seam: the cell runner (null = the plan on the embedded cluster).</summary>
    public static Func<SelftestRequest, SelftestCellRunner>? CellRunnerFactory { get; set; }

    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var duration = new Option<string>("--duration") { Description = "Length of each run; the plans' phases and fault timelines scale with it.", DefaultValueFactory = _ => SelftestRequest.DefaultDuration };
        var plans = new Option<string?>("--plans") { Description = "Comma-separated plan names or .json files (default: every shipped plan but soak and capacity)." };
        var defects = new Option<string?>("--defects") { Description = $"Comma-separated planted defects (default: all): {string.Join(", ", WalletDefects.Names)}." };
        var reportDir = new Option<string?>("--report-dir") { Description = "Folder for selftest.md, selftest.json, junit.xml and each run's reports (default reports/<utc-timestamp>-selftest/)." };
        var seed = new Option<string?>("--seed") { Description = "Seed for every run (default: each plan's)." };
        var promisedOnly = new Option<bool>("--promised-only") { Description = "Run each defect only against the plans whose \"catches\" promises it (the clean wallet still runs every plan), and check each promise by its \"by\" claims: the quick check CI runs." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check the plans, defects and flags, print the runs the matrix would make and exit 0, or 2 on bad input; nothing is started." };
        var command = new Command(Name, "Prove the verdicts: run the plans against the resilient wallet, clean and with each planted defect, and print the matrix. Exit 0 no false alarm, every defect caught and every \"catches\" promise run kept (a promise with \"by\" only by one of those claims), 1 otherwise, 2 bad input.")
        {
            duration, plans, defects, reportDir, seed, promisedOnly, dryRun,
        };
        command.SetAction(async (parse, ct) =>
        {
            SelftestRequest request;
            try
            {
                var length = DurationText.ParsePositive(parse.GetValue(duration) ?? SelftestRequest.DefaultDuration, "--duration", LoadLimits.MaxDuration);

                var folder = parse.GetValue(reportDir) ?? Path.Combine("reports", $"{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmss'Z'}-selftest");
                ReportFolder.EnsureUsable(folder, parse.GetValue(reportDir) is null ? "report folder" : "--report-dir");
                request = new SelftestRequest
                {
                    Plans = SelectPlans(parse.GetValue(plans)),
                    Defects = SelectDefects(parse.GetValue(defects)),
                    Duration = length,
                    Seed = parse.GetValue(seed) is { } s ? LoadLimits.ParseSeed(s, "--seed") : null,
                    ReportDir = folder,
                    PromisedOnly = parse.GetValue(promisedOnly),
                };
                SelftestRunner.Validate(request);
            }
            catch (PlanException ex)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            var cells = request.Cells().Count();
            var started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            await stdout.WriteLineAsync($"selftest: {request.Defects.Count + 1} wallets (clean + {request.Defects.Count} defects) × {request.Plans.Count} plans{(request.PromisedOnly ? ", defects only where promised" : string.Empty)} = {cells} runs of {DurationText.Format(request.Duration)} ({DurationText.Format(TimeSpan.FromTicks(request.Duration.Ticks * cells))} of load); {(parse.GetValue(dryRun) ? "reports would go in" : "reports in")} {Path.GetFullPath(request.ReportDir)}").ConfigureAwait(false);
            if (parse.GetValue(dryRun))
            {
                foreach (var text in DryRunLines(request))
                {
                    await stdout.WriteLineAsync(text).ConfigureAwait(false);
                }

                return ExitCodes.AllClaimsHold;
            }

            SelftestMatrix matrix;
            try
            {
                var runner = CellRunnerFactory?.Invoke(request) ?? SelftestRunner.Embedded(request, LoadTestsCli.CreateConsole);
                matrix = await SelftestRunner.RunAsync(request, runner, stdout, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await stderr.WriteLineAsync($"interrupted: selftest stopped early; each finished run's reports are in {Path.GetFullPath(request.ReportDir)}").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }

            // The tokens start with the command name itself; written as a user would type it (RunAgain's program and quoting).
            var line = RunAgain.Program + " " + string.Join(' ', parse.Tokens.Select(t => RunAgain.Quote(t.Value)));
            await SelftestReport.WriteAsync(request.ReportDir, matrix, request, line, started, clock.Elapsed.TotalSeconds).ConfigureAwait(false);
            Print(LoadTestsCli.CreateConsole(stdout), matrix);
            foreach (var problem in matrix.Problems())
            {
                await stdout.WriteLineAsync(problem).ConfigureAwait(false);
            }

            await stdout.WriteLineAsync($"selftest: {(matrix.Passed ? "pass" : "FAIL")} ({matrix.FalseAlarms.Count} false alarms, {matrix.Defects.Count - matrix.Uncaught.Count} of {matrix.Defects.Count} defects caught, {matrix.BrokenPromises.Count} broken promises) in {clock.Elapsed.TotalMinutes:0.#} min; {Path.Combine(Path.GetFullPath(request.ReportDir), SelftestReport.MarkdownFile)}").ConfigureAwait(false);
            return matrix.Passed ? ExitCodes.AllClaimsHold : ExitCodes.ClaimFailed;
        });
        return command;
    }

    /// <summary>
    /// <c>--dry-run</c>: each wallet's runs in the order they would play, and the load time they add up to (each run
    /// also starts the embedded cluster and waits up to its settle window, so the whole takes longer).
    /// </summary>
    internal static IReadOnlyList<string> DryRunLines(SelftestRequest request)
    {
        var cells = request.Cells().ToArray();
        var width = cells.Max(c => (c.Defect ?? SelftestMatrix.CleanRow).Length);
        var lines = cells
            .GroupBy(c => c.Defect ?? SelftestMatrix.CleanRow)
            .Select(g => $"  {g.Key.PadRight(width)}  {string.Join(", ", g.Select(c => c.Plan.Name))}")
            .ToList();
        var load = TimeSpan.FromTicks(request.Duration.Ticks * cells.Length);
        lines.Add($"load time {DurationText.Format(load)} over {cells.Length} runs, plus each run's start-up and settle");
        lines.Add("dry run: nothing was started; drop --dry-run to run it.");
        return lines;
    }

    /// <summary>The named plans (names or files), or every shipped plan but capacity plans and plans longer than 10 minutes.</summary>
    internal static IReadOnlyList<SelftestPlan> SelectPlans(string? list)
    {
        if (list is null)
        {
            var all = new List<SelftestPlan>();
            foreach (var (name, file) in PlanCatalog.List())
            {
                var json = File.ReadAllText(file);
                var doc = PlanCompiler.Read(json, name);
                var length = doc.Duration is null ? PlanCompiler.DefaultDuration : DurationText.Parse(doc.Duration, $"plan {name}: duration", LoadLimits.MaxDuration);
                if (doc.Capacity is null && length <= LongestDefaultPlan)
                {
                    all.Add(new SelftestPlan(name, json, name, PlanCompiler.Compile(doc, name, new PlanOverrides()).Catches));
                }
            }

            return all;
        }

        var names = Split(list, "--plans");
        var plans = new List<SelftestPlan>();
        foreach (var entry in names)
        {
            var (json, source) = PlanCatalog.Resolve(entry, "--plans");
            var doc = PlanCompiler.Read(json, source);
            var name = string.IsNullOrWhiteSpace(doc.Name) ? Path.GetFileNameWithoutExtension(source) : doc.Name.Trim();
            if (plans.Any(p => p.Name == name))
            {
                throw new PlanException($"--plans: \"{entry}\" is listed twice (plan {name}).");
            }

            plans.Add(new SelftestPlan(name, json, source, PlanCompiler.Compile(doc, source, new PlanOverrides()).Catches));
        }

        return plans;
    }

    internal static IReadOnlyList<string> SelectDefects(string? list)
    {
        if (list is null)
        {
            return WalletDefects.Names;
        }

        var names = Split(list, "--defects");
        for (var i = 0; i < names.Length; i++)
        {
            if (!WalletDefects.IsKnown(names[i]))
            {
                throw new PlanException($"--defects: \"{names[i]}\" is not a planted defect; allowed: {KnownNames.List(WalletDefects.Names)}.");
            }

            // As --plans: a name given twice is a typo for another one more often than a wish to run it twice.
            if (names.Take(i).Contains(names[i], StringComparer.Ordinal))
            {
                throw new PlanException($"--defects: \"{names[i]}\" is listed twice.");
            }
        }

        return names;
    }

    private static string[] Split(string list, string field)
    {
        var parts = list.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(p => p.Length == 0))
        {
            throw new PlanException($"{field}: \"{list}\" has an empty entry; give a comma-separated list, e.g. {(field == "--plans" ? "smoke,node-loss" : "no-failover,sticky-node")}.");
        }

        return parts;
    }

    private static void Print(IAnsiConsole console, SelftestMatrix matrix)
    {
        var table = new Table().Title("selftest: rows the wallet, columns the plans").AddColumn("wallet");
        foreach (var plan in matrix.Plans)
        {
            table.AddColumn(Markup.Escape(plan));
        }

        table.AddColumn("caught by");
        foreach (var row in matrix.Rows)
        {
            var defect = row == SelftestMatrix.CleanRow ? null : row;
            var cells = new List<string> { Markup.Escape(row) };
            foreach (var plan in matrix.Plans)
            {
                var cell = matrix.Find(defect, plan);
                var missed = cell is null ? null : matrix.MissedBy(cell);
                cells.Add(cell is null ? "-" : cell.Passed ? "[green]pass[/]" : $"[red]{Markup.Escape(cell.Short)}[/]" + (missed is null ? string.Empty : $" [yellow](promised by {Markup.Escape(string.Join(", ", missed.By))})[/]"));
            }

            cells.Add(defect is null
                ? (matrix.FalseAlarms.Count == 0 ? "[green]no false alarm[/]" : "[red]false alarms[/]")
                : matrix.CaughtBy[defect].Count == 0 ? "[red]NOT CAUGHT[/]" : Markup.Escape(string.Join(", ", matrix.CaughtBy[defect])));
            table.AddRow(cells.ToArray());
        }

        console.Write(table);
    }
}

using System.Diagnostics;
using System.Globalization;
using PaySim.LoadTests.Cluster;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Reporting;
using PaySim.LoadTests.Running;

namespace PaySim.LoadTests.Selftest;

/// <summary>Runs one cell: the plan, shortened, on the embedded target with the resilient wallet and the cell's defect.</summary>
internal delegate Task<SelftestCell> SelftestCellRunner(string? defect, SelftestPlan plan, string reportFolder, CancellationToken cancellationToken);

/// <summary>
/// Plays the matrix cell by cell (one at a time: the runs judge timing and share the machine) and prints a line as each
/// cell ends. Every cell is compiled before the first one starts, so bad input is exit 2 with nothing run.
/// </summary>
internal static class SelftestRunner
{
    /// <summary>A cell that has not ended this long after its planned length and settle window is stopped and counted red.</summary>
    public static readonly TimeSpan CellGrace = TimeSpan.FromMinutes(3);

    /// <summary>Compiles every cell (a <see cref="PlanException"/> names the plan and field) without starting anything.</summary>
    public static void Validate(SelftestRequest request)
    {
        foreach (var (defect, plan) in request.Cells())
        {
            Compile(request, defect, plan);
        }
    }

    public static LoadPlan Compile(SelftestRequest request, string? defect, SelftestPlan plan)
    {
        var compiled = PlanCompiler.Compile(plan.Json, plan.Source, new PlanOverrides
        {
            Duration = request.Duration,
            Seed = request.Seed,
            WalletMode = "resilient",
            Defects = defect is null ? null : [defect],
        });
        if (!compiled.Target.IsEmbedded)
        {
            throw new PlanException($"--plans: {plan.Name} runs against an external target; selftest plants defects in the embedded wallet, so it needs embedded plans.");
        }

        return compiled;
    }

    public static async Task<SelftestMatrix> RunAsync(SelftestRequest request, SelftestCellRunner runCell, TextWriter progress, CancellationToken cancellationToken)
    {
        var todo = request.Cells().ToArray();
        var cells = new List<SelftestCell>(todo.Length);
        var width = todo.Max(c => (c.Defect ?? SelftestMatrix.CleanRow).Length + c.Plan.Name.Length + 3);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < todo.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (defect, plan) = todo[i];
            var row = defect ?? SelftestMatrix.CleanRow;
            var folder = Path.Combine(request.ReportDir, row, plan.Name);
            var cell = await runCell(defect, plan, folder, cancellationToken).ConfigureAwait(false);
            cells.Add(cell);
            var verdict = cell.Passed ? "pass" : cell.Error is not null ? $"FAIL  run failed: {cell.Error}" : $"FAIL  {string.Join("; ", cell.FailedClaims)}";
            var left = todo.Length - i - 1;
            var eta = left == 0 ? string.Empty : $"  ~{Minutes(clock.Elapsed.TotalSeconds / (i + 1) * left)} left";
            await progress.WriteLineAsync(
                $"[{(i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(todo.Length.ToString(CultureInfo.InvariantCulture).Length)}/{todo.Length}] {$"{row} × {plan.Name}".PadRight(width)}  {cell.Seconds,5:0}s  {verdict}{eta}").ConfigureAwait(false);
        }

        var promises = request.Plans.ToDictionary(p => p.Name, p => p.Catches, StringComparer.Ordinal);
        return new SelftestMatrix(request.Plans.Select(p => p.Name).ToArray(), request.Defects, promises, cells);
    }

    /// <summary>The real cell: the plan on the embedded cluster, its console output in <c>run.log</c> beside its reports.</summary>
    public static SelftestCellRunner Embedded(SelftestRequest request, Func<TextWriter, Spectre.Console.IAnsiConsole> console) => async (defect, plan, folder, cancellationToken) =>
    {
        var compiled = Compile(request, defect, plan);
        var again = RunAgain.Of(CellArgs(request, defect, plan), compiled.Seed);
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        var logFile = folder + ".log";
        var clock = Stopwatch.StartNew();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(compiled.Duration + compiled.Settle + CellGrace);
        await using var log = new StreamWriter(logFile) { AutoFlush = true };
        try
        {
            var outcome = await PlanRunner.RunAsync(compiled, new RunOptions { ReportDir = folder, ShowProgress = false, Command = again }, log, limit.Token).ConfigureAwait(false);
            FinalTable.Print(console(log), outcome.Summary, outcome.ReportFolder);
            cancellationToken.ThrowIfCancellationRequested();
            var failed = outcome.Summary.Claims.Where(c => !c.Pass).Select(c => $"{c.Expression} (observed {c.ObservedText})").ToArray();
            var error = outcome.Aborted ? $"did not end within {Minutes((compiled.Duration + compiled.Settle + CellGrace).TotalSeconds)} and was stopped"
                : outcome.NotAsWritten ? outcome.Summary.AbortReason
                : null;
            return new SelftestCell(defect, plan.Name, outcome.Passed, failed, error, clock.Elapsed.TotalSeconds, outcome.ReportFolder, again);
        }
        catch (Exception ex) when (ex is RunSetupException or HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The run broke before it could judge: no verdict, so for a defect no catch, for the clean wallet a false alarm.
            await log.WriteLineAsync($"run failed: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
            return new SelftestCell(defect, plan.Name, false, [], $"{ex.Message.ReplaceLineEndings(" ")} (see {logFile})", clock.Elapsed.TotalSeconds, null, again);
        }
    };

    /// <summary>The <c>run</c> arguments that play one cell on its own: the plan, the matrix's length, the resilient wallet and the defect.</summary>
    internal static string[] CellArgs(SelftestRequest request, string? defect, SelftestPlan plan) =>
        ["run", "--plan", plan.Source, "--duration", DurationText.Format(request.Duration), "--wallet-mode", "resilient", .. defect is null ? Array.Empty<string>() : ["--defect", defect]];

    private static string Minutes(double seconds) =>
        seconds < 90 ? $"{seconds:0}s" : $"{seconds / 60:0.#} min";
}

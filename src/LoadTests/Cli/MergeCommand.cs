using System.CommandLine;
using PaySim.LoadEngine;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Reporting;
using PaySim.LoadTests.Sharding;
using Spectre.Console;

namespace PaySim.LoadTests.Cli;

/// <summary><c>merge DIR... [--report-dir DIR]</c>: one exact report from the folders of <c>run --shard i/n</c>.</summary>
internal static class MergeCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr, Func<TextWriter, IAnsiConsole> console)
    {
        var folders = new Argument<string[]>("DIR") { Description = "Report folders written by `run --shard i/n`, one per shard.", Arity = ArgumentArity.ZeroOrMore };
        var reportDir = new Option<string?>("--report-dir") { Description = "Merged report folder (default reports/<utc-timestamp>-<plan>-merged/)." };
        var merge = new Command("merge", "Merge shard reports: counts add, histograms merge exactly, claims are judged again. Exit 0 all claims hold, 1 a claim failed, 2 bad input, 3 no verdict (a shard's plan did not run as written, or a shard was interrupted).")
        {
            folders, reportDir,
        };
        merge.SetAction(async (parse, ct) =>
        {
            RunSummary summary;
            IReadOnlyList<TimeSeriesPoint> series;
            string folder;
            try
            {
                ShardReader.CheckReportDir(parse.GetValue(folders) ?? [], parse.GetValue(reportDir));
                var shards = ShardReader.ReadAll(parse.GetValue(folders) ?? []);
                (summary, series) = ShardMerger.Merge(shards);
                folder = parse.GetValue(reportDir) ?? Path.Combine("reports", $"{TimeProvider.System.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}-{summary.Plan}-merged");
                ReportFolder.EnsureUsable(folder, parse.GetValue(reportDir) is null ? "report folder" : "--report-dir");
            }
            catch (PlanException ex)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
            catch (LoadConfigException ex)
            {
                await stderr.WriteLineAsync($"error: merge: a shard's summary is not valid: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            try
            {
                await ReportWriter.WriteAsync(folder, summary, series, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Passed the up-front check but failed while writing (disk full, a race): still one line.
                await stderr.WriteLineAsync($"error: --report-dir: could not write the merged report to \"{folder}\": {ex.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            FinalTable.Print(console(stdout), summary, Path.GetFullPath(folder));
            if (NotAsWritten.Is(summary))
            {
                // A shard's plan did not run as written, or a shard was interrupted: its run gave no verdict, so the merged run gives none either.
                await stderr.WriteLineAsync($"merge failed, no verdict: {summary.AbortReason}; the merged report is in {Path.GetFullPath(folder)}").ConfigureAwait(false);
                return ExitCodes.NotCompleted;
            }

            return summary.Passed ? ExitCodes.AllClaimsHold : ExitCodes.ClaimFailed;
        });
        return merge;
    }
}

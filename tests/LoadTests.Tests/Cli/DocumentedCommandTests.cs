using PaySim.LoadTests.Cli;

namespace PaySim.LoadTests.Tests.Cli;

/// <summary>
/// Every <c>dotnet run --project src/LoadTests -- …</c> that README.md and docs/ show works as written: each <c>run</c>
/// and <c>selftest</c> passes its own <c>--dry-run</c> (plans and defects found, every flag and value taken, exit 0),
/// <c>plans</c> and <c>cardholders</c> run, and <c>merge</c> (which needs reports) parses without an error.
/// </summary>
public sealed class DocumentedCommandTests
{
    public static TheoryData<string, string[]> Commands() => DocumentedCommands.TheoryDataOf("src/LoadTests");

    [Fact]
    public void TheDocsShowTheCommands_TheExtractorFindsThem()
    {
        var commands = DocumentedCommands.Of("src/LoadTests");

        // README's first line, and enough of the rest that an extractor gone blind fails here rather than passing empty.
        Assert.Equal(["run"], commands[0].Args);
        Assert.StartsWith("README.md:", commands[0].Where, StringComparison.Ordinal);
        Assert.InRange(commands.Count, 40, 1000);
        Assert.Contains(commands, c => c.Args.Contains("--wallet-hook") && c.Args.Contains("crash=kubectl delete pod {instance} --grace-period=0 --force"));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task DocumentedCommand_WorksAsWritten(string where, string[] args)
    {
        var verb = args.Length == 0 ? string.Empty : args[0];
        if (verb is "run" or "selftest" && !args.Contains("--help") && PlanFileExists(args))
        {
            // The report folder is the reader's choice (/work/…, out/…): checked here in a temporary folder, so the test
            // does not depend on which folders this machine has.
            var (code, output, err) = await CliRunner.RunAsync([.. WithReportDir(args, Path.GetTempPath()), "--dry-run"]);
            Assert.True(code == ExitCodes.AllClaimsHold, $"{where}: `{string.Join(' ', args)} --dry-run` exited {code}: {err.Trim()}");
            Assert.EndsWith("drop --dry-run to run it.", output.TrimEnd(), StringComparison.Ordinal);
        }
        else if (verb is "plans" or "cardholders" || args.Contains("--help"))
        {
            var (code, _, err) = await CliRunner.RunAsync([.. args]);
            Assert.True(code == ExitCodes.AllClaimsHold, $"{where}: `{string.Join(' ', args)}` exited {code}: {err.Trim()}");
        }
        else
        {
            var parse = LoadTestsCli.Parse(args);
            Assert.True(parse.Errors.Count == 0, $"{where}: `{string.Join(' ', args)}`: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
            Assert.Null(LoadTestsCli.UnknownCommand((System.CommandLine.RootCommand)parse.RootCommandResult.Command, [.. args]));
        }
    }

    private static string[] WithReportDir(string[] args, string folder)
    {
        var copy = args.ToArray();
        var i = Array.IndexOf(copy, "--report-dir");
        if (i >= 0 && i + 1 < copy.Length)
        {
            copy[i + 1] = Path.Combine(folder, $"paysim-doc-{Guid.NewGuid():N}");
        }

        return copy;
    }

    // "--plan ./my-plan.json" stands for the reader's own file: only its flags can be checked (by the parse above).
    private static bool PlanFileExists(string[] args)
    {
        var i = Array.IndexOf(args, "--plan");
        if (i < 0 || i + 1 >= args.Length || !args[i + 1].EndsWith(".json", StringComparison.Ordinal))
        {
            return true;
        }

        return File.Exists(Path.Combine(FolderCycleFinder.RepositoryRoot(), args[i + 1]));
    }
}

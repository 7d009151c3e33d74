using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Tests.EndToEnd;
using PaySim.LoadTests.Tests.Deploy;
using Spectre.Console;

namespace PaySim.LoadTests.Tests.Cli;

/// <summary>What a k6 or NBomber user expects of the command line: a helpful unknown command, greppable plain output, reports where they ran it.</summary>
[Collection(EndToEndSecondLane.Name)]
public sealed class CliUxTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-ux-").FullName;

    [Theory]
    [InlineData("rnu")]
    [InlineData("selftset")]
    public async Task AnUnknownCommand_ExitsTwoWithOneLineListingTheCommands(string word)
    {
        var (code, _, err) = await CliRunner.RunAsync(word, "--plan", "smoke");

        Assert.Equal(ExitCodes.BadInput, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: unknown command '{word}'; commands: run, merge, plans, cardholders", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Required command", err, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainConsole_WritesALongLineWhole_AndTablesStillSizeToTheirContent()
    {
        using var writer = new StringWriter();
        var console = LoadTestsCli.CreateConsole(writer);
        var verdict = "verdict: fail (" + string.Join("; ", Enumerable.Range(1, 30).Select(i => $"claim_{i} == 0 (observed {i})")) + ")";

        console.MarkupLine(Markup.Escape(verdict));
        var table = new Table().AddColumn("claim").AddColumn("result");
        table.AddRow("success_rate >= 99%", "pass");
        console.Write(table);

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(verdict, lines[0].TrimEnd());
        Assert.True(verdict.Length > 500, "the line is far wider than a terminal");
        Assert.All(lines.Skip(1), l => Assert.True(l.TrimEnd().Length < 60, $"table line sized to content: '{l}'"));
    }

    [Fact]
    public async Task DotnetRun_FromAnotherFolder_WritesTheReportUnderThatFolder()
    {
        var project = Path.Combine(RepoPaths.Root, "src", "LoadTests");
        var run = await ChildProcess.RunAsync("dotnet", ["run", "--no-build", "--project", project, "--", "run", "--plan", "smoke", "--duration", "2s", "--no-progress"], TimeSpan.FromMinutes(2), _dir);

        Assert.True(run.ExitCode == ExitCodes.AllClaimsHold, $"exit {run.ExitCode}: {run.Output}");
        var report = Assert.Single(Directory.GetDirectories(Path.Combine(_dir, "reports")));
        Assert.True(File.Exists(Path.Combine(report, "summary.json")), report);
        Assert.False(Directory.Exists(Path.Combine(project, "reports")) && Directory.GetDirectories(Path.Combine(project, "reports")).Any(d => d.EndsWith(Path.GetFileName(report), StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Plans_FromAFolderWithItsOwnPlans_SaysWhereEachComesFrom_AndListsABadFileWithItsReason()
    {
        var mine = Directory.CreateDirectory(Path.Combine(_dir, "plans")).FullName;
        File.WriteAllText(Path.Combine(mine, "ours.json"), """{ "description": "our own", "rate": 1, "scenarios": [ { "name": "payment" } ] }""");
        File.WriteAllText(Path.Combine(mine, "lonesur.json"), """{ "scenarios": [ { "name": "payment" } ], "rate": 5, "description": "a\ud800b" }""");
        File.WriteAllText(Path.Combine(mine, "empty.json"), """{ "name": "", "description": "nameless", "rate": 1, "scenarios": [ { "name": "payment" } ] }""");
        File.WriteAllText(Path.Combine(mine, "norate.json"), """{ "description": "no rate", "scenarios": [ { "name": "payment" } ] }""");
        File.WriteAllText(Path.Combine(mine, "smoke.json"), """{ "description": "our smoke", "rate": 1, "scenarios": [ { "name": "payment" } ] }""");
        var project = Path.Combine(RepoPaths.Root, "src", "LoadTests");

        var run = await ChildProcess.RunAsync("dotnet", ["run", "--no-build", "--project", project, "--", "plans"], TimeSpan.FromMinutes(2), _dir);

        Assert.True(run.ExitCode == ExitCodes.AllClaimsHold, $"exit {run.ExitCode}: {run.Output}");
        var lines = run.Output.Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Contains(lines, l => l.StartsWith("ours ", StringComparison.Ordinal) && l.EndsWith($"our own  (from {Path.Combine(mine, "ours.json")})", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("lonesur ", StringComparison.Ordinal)
            && l.Contains("(invalid: plan lonesur: description: holds a \\ud800-\\udfff escape without its pair", StringComparison.Ordinal)
            && l.EndsWith($"(from {Path.Combine(mine, "lonesur.json")})", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("smoke ", StringComparison.Ordinal) && !l.Contains("(from ", StringComparison.Ordinal));

        // A file that parses but that run would refuse is listed (invalid: <first line of that refusal>), not as a plan.
        Assert.Contains(lines, l => l.StartsWith("empty ", StringComparison.Ordinal)
            && l.Contains("(invalid: plan empty: name: \"\" must be 1 to 64", StringComparison.Ordinal) && !l.Contains("nameless", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("norate ", StringComparison.Ordinal)
            && l.Contains("(invalid: plan norate: rate: required", StringComparison.Ordinal) && !l.Contains("no rate  (from", StringComparison.Ordinal));

        // ./plans/smoke.json is hidden by the shipped smoke (which --plan smoke runs), and says so instead of vanishing.
        var ours = Path.Combine(mine, "smoke.json");
        Assert.Contains(lines, l => l.StartsWith("smoke ", StringComparison.Ordinal)
            && l.EndsWith($"our smoke  (from {ours}, hidden by the shipped plan of that name; run it with --plan {ours})", StringComparison.Ordinal));
        Assert.DoesNotContain("internal error", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("run", "--help")]
    public async Task Help_ListsEveryExitCode_Including130ForAnInterruptedRun(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await LoadTestsCli.InvokeAsync(args, stdout, stderr);

        Assert.Equal(ExitCodes.AllClaimsHold, code);
        var help = System.Text.RegularExpressions.Regex.Replace(stdout.ToString(), @"\s+", " ");
        foreach (var exit in new[] { "0 all claims hold", "1 a claim failed", "2 bad input", "3 ", $"{ExitCodes.Interrupted} interrupted by Ctrl+C or SIGTERM" })
        {
            Assert.Contains(exit, help, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("plans")]
    [InlineData("run", "--help")]
    public async Task OutputThatCannotBeWritten_IsOneLineAndExitThree_NotAStackTrace(params string[] args)
    {
        using var stdout = new FullDeviceWriter();
        using var stderr = new StringWriter();

        var code = await LoadTestsCli.InvokeAsync(args, stdout, stderr);

        Assert.Equal(ExitCodes.NotCompleted, code);
        Assert.Equal("error: could not complete: No space left on device (IOException)", stderr.ToString().TrimEnd());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Standard output on a full disk: every write fails as it does for <c>&gt; /dev/full</c>.</summary>
    private sealed class FullDeviceWriter : StringWriter
    {
        public override void Write(char value) => throw Full();

        public override void Write(string? value) => throw Full();

        public override void WriteLine(string? value) => throw Full();

        public override Task WriteLineAsync(string? value) => throw Full();

        public override Task WriteAsync(string? value) => throw Full();

        private static IOException Full() => new("No space left on device");
    }
}

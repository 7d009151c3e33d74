using PaySim.LoadTests.Cli;

namespace PaySim.LoadTests.Tests.Cli;

/// <summary><c>run --out</c> refused before anything starts: one line naming the flag and what it allows, exit 2, nothing created.</summary>
public sealed class OutFlagTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-out-flag-").FullName;

    [Theory]
    [InlineData("csv=CSV", "\"csv\" is no output")]
    [InlineData("json", "\"json\" names no file")]
    [InlineData("json=", "names no file")]
    [InlineData("json=DIR/missing/r.json", "does not exist")]
    [InlineData("json=DIR/missing/r.json.gz", "does not exist")]
    [InlineData("json=DIR", "is a folder")]
    [InlineData("json=-", "json=- (stdout) is not supported; give a file path")]
    [InlineData("json=/dev/full", "json=/dev/full is not a regular file; give a file path")]
    [InlineData("json=/proc/version", "json=/proc/version is not a regular file; give a file path")]
    [InlineData("json=/dev/stdout", "json=/dev/stdout is not a regular file; give a file path")]
    public async Task Run_WithABadOut_ExitsTwoWithOneLineNamingOut_AndCreatesNothing(string value, string why)
    {
        var report = Path.Combine(_dir, "report");
        string[] args = ["run", "--plan", "smoke", "--no-progress", "--report-dir", report, "--out", value.Replace("CSV", Path.Combine(_dir, "r.csv"), StringComparison.Ordinal).Replace("DIR", _dir, StringComparison.Ordinal)];

        var (code, stdout, err) = await CliRunner.RunAsync(args);

        Assert.True(code == ExitCodes.BadInput, $"exit {code}: {err}");
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: --out: ", line, StringComparison.Ordinal);
        Assert.Contains(why, line, StringComparison.Ordinal);
        Assert.Equal("", stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public async Task DryRun_WithOut_SaysWhereAndCreatesNothing()
    {
        var file = Path.Combine(_dir, "r.json.gz");

        var (code, stdout, err) = await CliRunner.RunAsync("run", "--plan", "smoke", "--dry-run", "--report-dir", Path.Combine(_dir, "report"), "--out", "json=" + file);

        Assert.True(code == ExitCodes.AllClaimsHold, err);
        Assert.Contains($"; every request as k6 JSON lines to {file} (gzip)", stdout, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public async Task DryRun_WithAnUnwritableOut_IsRefusedLikeTheRun()
    {
        var (code, stdout, err) = await CliRunner.RunAsync("run", "--plan", "smoke", "--dry-run", "--out", $"json={_dir}/missing/r.json");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: --out: ", err, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_WithOutOnThePlanFile_IsRefused_AndThePlanIsKept(bool dryRun)
    {
        var plan = Path.Combine(_dir, "plan.json");
        var source = File.ReadAllText(PlanFileOf("smoke"));
        await File.WriteAllTextAsync(plan, source);
        string[] args = ["run", "--plan", plan, "--no-progress", "--report-dir", Path.Combine(_dir, "report"), "--out", "json=" + Path.Combine(_dir, ".", "plan.json")];

        var (code, stdout, err) = await CliRunner.RunAsync(dryRun ? [.. args, "--dry-run"] : args);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal($"error: --out: json={Path.Combine(_dir, ".", "plan.json")} is the plan file this run reads; give another path.", err.Trim());
        Assert.Equal("", stdout);
        Assert.Equal(source, await File.ReadAllTextAsync(plan));
        Assert.Equal([plan], Directory.EnumerateFileSystemEntries(_dir));
    }

    [Theory]
    [InlineData("summary.json", false)]
    [InlineData("report.html", false)]
    [InlineData("report.md", false)]
    [InlineData("junit.xml", false)]
    [InlineData("timeseries.csv", false)]
    [InlineData("timeseries-steps.csv", true)]
    public async Task Run_WithOutOnAReportFile_IsRefused(string name, bool dryRun)
    {
        var report = Path.Combine(_dir, "report");
        var file = Path.Combine(report, name);
        string[] args = ["run", "--plan", "smoke", "--no-progress", "--report-dir", report, "--out", "json=" + file];

        var (code, stdout, err) = await CliRunner.RunAsync(dryRun ? [.. args, "--dry-run"] : args);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal($"error: --out: json={file} is the report's own {name}; give a path outside the report folder or another name.", err.Trim());
        Assert.Equal("", stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public async Task Run_WithOutOnAFifo_IsRefusedWithoutOpeningIt()
    {
        var fifo = Path.Combine(_dir, "pipe");
        using (var mk = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            await mk.WaitForExitAsync();
            Assert.Equal(0, mk.ExitCode);
        }

        var (code, _, err) = await CliRunner.RunAsync("run", "--plan", "smoke", "--dry-run", "--out", "json=" + fifo);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal($"error: --out: json={fifo} is not a regular file; give a file path.", err.Trim());
    }

    private static string PlanFileOf(string name) => PaySim.LoadTests.Plans.PlanCatalog.List()[name];

    [Fact]
    public void Help_SaysWhatOutTakes()
    {
        var option = LoadTestsCli.Parse(["run"]).CommandResult.Command.Options.Single(o => o.Name == "--out");
        Assert.Contains("json=PATH", option.Description, StringComparison.Ordinal);
        Assert.Contains(".gz", option.Description, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

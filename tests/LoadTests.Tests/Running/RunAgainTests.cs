using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Running;
using PaySim.LoadTests.Selftest;
using PaySim.LoadTests.Tests.Cli;
using PaySim.TestSupport;

namespace PaySim.LoadTests.Tests.Running;

/// <summary>
/// The "run again" command of a run (<see cref="RunAgain"/>): what it keeps, drops and adds, that a shell reads back the
/// very arguments, and that it passes the run's own checks. The command in a real run's reports is checked by
/// EndToEnd/PlanRunTests (smoke).
/// </summary>
public sealed class RunAgainTests
{
    // The source tree's command as seen from the test host's folder (the project's full path, as the host runs in bin/).
    private static readonly string Program = RunAgain.Program;

    [Fact]
    public void Of_DropsTheReportFolderAndDryRun_AddsTheSeedItRanWith_AndKeepsTheRestInOrder()
    {
        var command = RunAgain.Of(["run", "--plan", "node-loss", "--report-dir", "/tmp/r1", "--rate", "5", "--dry-run", "--wallet-mode", "naive"], 42);

        Assert.Equal($"{Program} run --plan node-loss --rate 5 --wallet-mode naive --seed 42", command);
    }

    [Fact]
    public void Of_DropsOut_SoASecondRunDoesNotReplaceTheFirstsResults()
    {
        var command = RunAgain.Of(["run", "--plan", "smoke", "--out", "json=/tmp/r.json.gz", "--rate", "5"], 7);

        Assert.Equal($"{Program} run --plan smoke --rate 5 --seed 7", command);
    }

    [Fact]
    public void TheProgram_IsTheToolFromAToolStore_TheSourceTreeInACheckout_ElseTheAssemblyItself()
    {
        var root = Directory.CreateTempSubdirectory("paysim-again-").FullName;
        try
        {
            var store = Directory.CreateDirectory(Path.Combine(root, "tools", ".store", "paysim.loadtests", "0.2.0", "tools", "net10.0", "any")).FullName;
            var checkout = Directory.CreateDirectory(Path.Combine(root, "clone", "src", "LoadTests", "bin", "Debug", "net10.0")).FullName;
            File.WriteAllText(Path.Combine(root, "clone", "src", "LoadTests", "LoadTests.csproj"), "<Project />");
            var published = Directory.CreateDirectory(Path.Combine(root, "my app")).FullName;

            var clone = Path.Combine(root, "clone");
            Assert.Equal("paysim", RunAgain.ProgramFor(store, clone));
            Assert.Equal("dotnet run --project src/LoadTests --", RunAgain.ProgramFor(checkout, clone));
            Assert.Equal("dotnet run --project src/LoadTests --", RunAgain.ProgramFor(Path.Combine(clone, "tests", "LoadTests.Tests", "bin"), clone));
            Assert.Equal("dotnet run --project clone/src/LoadTests --", RunAgain.ProgramFor(checkout, root));
            Assert.Equal($"dotnet run --project {Path.Combine(clone, "src", "LoadTests")} --", RunAgain.ProgramFor(checkout, published));
            Assert.Equal($"dotnet '{Path.Combine(published, "PaySim.LoadTests.dll")}'", RunAgain.ProgramFor(published, published));

            // These tests run from this checkout's build, in its bin folder: the project by its full path.
            Assert.Equal($"dotnet run --project {Path.Combine(FolderCycleFinder.RepositoryRoot(), "src", "LoadTests")} --", RunAgain.Program);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Of_KeepsASeedGivenOnTheCommandLine()
    {
        Assert.Equal($"{Program} run --seed 7 --plan smoke", RunAgain.Of(["run", "--seed", "7", "--plan", "smoke"], 7));
    }

    [Fact]
    public void TheParsersTokens_OfAFlagWrittenWithEquals_AreDroppedWithTheirValue()
    {
        var tokens = LoadTestsCli.Parse(["run", "--plan", "smoke", "--report-dir=/tmp/elsewhere", "--duration=5s"]).Tokens.Select(t => t.Value).ToArray();

        Assert.Equal($"{Program} run --plan smoke --duration 5s --seed 3", RunAgain.Of(tokens, 3));
    }

    [Fact]
    public async Task ABashShell_ReadsBackTheSameArguments_QuotesSpacesAndAllIncluded()
    {
        string[] args =
        [
            "run", "--plan", "./my plans/it's.json", "--wallet-hook", "crash=kubectl delete pod {instance} --grace-period=0 && echo \"$HOME\" `date`",
            "--wallet-url", "http://127.0.0.1:7301/", "--rate", "0.5", "--otlp", "http://localhost:4318/v1/metrics", "--shard", "2/4", "",
        ];

        var command = RunAgain.Of(args, 11);
        Assert.StartsWith(Program + " run --plan './my plans/it'\\''s.json' --wallet-hook 'crash=", command, StringComparison.Ordinal);
        Assert.Contains(" --wallet-url http://127.0.0.1:7301/ --rate 0.5 ", command, StringComparison.Ordinal);

        // What a POSIX shell makes of the arguments part: each one printed between NUL bytes.
        var shell = await ChildProcess.RunAsync("bash", ["-c", $"set -- {command[(Program.Length + 1)..]}; printf '%s\\0' \"$@\""], TimeSpan.FromSeconds(20));
        Assert.True(shell.ExitCode == 0, shell.Output);
        Assert.Equal([.. args, "--seed", "11"], shell.Stdout.Split('\0')[..^1]);
    }

    [Fact]
    public async Task TheCommandForARealParse_PassesTheRunsOwnChecks()
    {
        string[] given = ["run", "--plan", "node-loss", "--seed", "1", "--duration", "20s", "--wallet-mode", "naive", "--settle", "5s", "--report-dir", Path.GetTempPath()];
        var command = RunAgain.Of(LoadTestsCli.Parse(given).Tokens.Select(t => t.Value).ToArray(), 1);

        var (code, output, err) = await CliRunner.RunAsync([.. command[(Program.Length + 1)..].Split(' '), "--dry-run"]);

        Assert.True(code == ExitCodes.AllClaimsHold, $"{command}: exit {code}: {err}");
        Assert.Contains("seed 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASelftestCell_IsOneRunOfItsPlanOnTheResilientWalletWithItsDefect_ThatPassesItsChecks()
    {
        var (json, source) = PlanCatalog.Resolve("issuer-hang");
        var request = new SelftestRequest
        {
            Plans = [new SelftestPlan("issuer-hang", json, source, [new PlanCatch("no-deadline")])],
            Defects = ["no-deadline"],
            Duration = TimeSpan.FromSeconds(10),
            Seed = 5,
            ReportDir = Path.GetTempPath(),
        };

        var args = SelftestRunner.CellArgs(request, "no-deadline", request.Plans[0]);
        var command = RunAgain.Of(args, SelftestRunner.Compile(request, "no-deadline", request.Plans[0]).Seed);

        Assert.Equal($"{Program} run --plan issuer-hang --duration 10s --wallet-mode resilient --defect no-deadline --seed 5", command);
        var (code, output, err) = await CliRunner.RunAsync([.. args, "--seed", "5", "--dry-run"]);
        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}: {err}");
        Assert.Contains("no-deadline", output, StringComparison.Ordinal);
        Assert.DoesNotContain("--defect", SelftestRunner.CellArgs(request, null, request.Plans[0]));
    }
}

using System.Text.Json.Nodes;
using System.Xml.Linq;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Selftest;
using PaySim.LoadTests.Tests.Cli;
using PaySim.LoadTests.Tests.EndToEnd;

namespace PaySim.LoadTests.Tests.Selftest;

/// <summary>
/// <c>selftest</c> on a scripted cell runner: which cells it runs, its exit codes, and the three files it writes.
/// (The real runs are in EndToEnd/SelftestRunTests.) In SelftestRunTests' lane: the runner seam is static, so the two never overlap.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SelftestCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"paysim-selftest-{Guid.NewGuid():N}");
    private readonly List<(string? Defect, string Plan)> _ran = [];

    public void Dispose()
    {
        SelftestCommand.CellRunnerFactory = null;
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task EveryDefectCaughtAndNoFalseAlarm_ExitsZeroAndWritesTheMatrix()
    {
        // lb-fairness promises sticky-node and unbalanced; node-loss promises no-failover.
        Script((defect, plan) => defect is null || (plan, defect) is not (("lb-fairness", "sticky-node") or ("node-loss", "no-failover")));

        var (code, output, err) = await CliRunner.RunAsync("selftest", "--plans", "node-loss,lb-fairness", "--defects", "no-failover,sticky-node", "--report-dir", _dir);

        Assert.True(code == ExitCodes.AllClaimsHold, output + err);
        Assert.Equal(6, _ran.Count);
        Assert.Equal([(null, "node-loss"), (null, "lb-fairness")], _ran.Take(2));
        Assert.Contains("[6/6] sticky-node × lb-fairness", output, StringComparison.Ordinal);
        Assert.Contains("selftest: pass (0 false alarms, 2 of 2 defects caught, 0 broken promises)", output, StringComparison.Ordinal);

        var md = await File.ReadAllTextAsync(Path.Combine(_dir, "selftest.md"));
        Assert.Contains($"`{PaySim.LoadTests.Running.RunAgain.Program} selftest --plans", md, StringComparison.Ordinal);
        Assert.Contains("| wallet | node-loss | lb-fairness | caught by |", md, StringComparison.Ordinal);
        Assert.Contains("| `sticky-node` | pass | **fail: issuer_jain_fairness** * | lb-fairness |", md, StringComparison.Ordinal);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, "selftest.json")))!;
        Assert.Equal("pass", json["verdict"]!.GetValue<string>());
        Assert.Equal(6, json["cells"]!.AsArray().Count);
        Assert.Equal("node-loss", json["caughtBy"]!["no-failover"]![0]!.GetValue<string>());
        var junit = XDocument.Load(Path.Combine(_dir, "junit.xml"));
        var cases = junit.Descendants("testcase").Select(c => c.Attribute("name")!.Value).ToArray();
        Assert.Equal(["clean wallet passes node-loss", "clean wallet passes lb-fairness", "no-failover is caught", "sticky-node is caught"], cases);
        Assert.Empty(junit.Descendants("failure"));
    }

    [Fact]
    public async Task APromisedRunRedOnlyOutsideItsBy_ExitsOneSayingWhatFailedAndWhatWasPromised()
    {
        // node-loss promises no-failover by errors_during_fault and recovery_ms (plans/node-loss.json); this run fails success_rate only.
        SelftestCommand.CellRunnerFactory = _ => (defect, plan, folder, _) =>
        {
            _ran.Add((defect, plan.Name));
            return Task.FromResult(defect is null
                ? new SelftestCell(defect, plan.Name, true, [], null, 1, folder)
                : new SelftestCell(defect, plan.Name, false, ["success_rate >= 99% (observed 46%)"], null, 1, folder));
        };

        var (code, output, _) = await CliRunner.RunAsync("selftest", "--plans", "node-loss", "--defects", "no-failover", "--promised-only", "--report-dir", _dir);

        Assert.Equal(ExitCodes.ClaimFailed, code);
        const string Broken = "node-loss did not catch no-failover by errors_during_fault, recovery_ms; it failed success_rate";
        Assert.Contains($"broken promise: {Broken}", output, StringComparison.Ordinal);
        Assert.Contains("selftest: FAIL (0 false alarms, 0 of 1 defects caught, 1 broken promises)", output, StringComparison.Ordinal);
        var md = await File.ReadAllTextAsync(Path.Combine(_dir, "selftest.md"));
        // Red only outside its promise is not a catch: the headline, the caught-by column and junit say no plan caught it.
        Assert.Contains("| `no-failover` | **fail: success_rate** * (promised by errors_during_fault, recovery_ms) | **NOT CAUGHT** |", md, StringComparison.Ordinal);
        Assert.Contains($"- broken promise: {Broken}", md, StringComparison.Ordinal);
        var failure = Assert.Single(XDocument.Load(Path.Combine(_dir, "junit.xml")).Descendants("failure"));
        Assert.Equal("no-failover is caught", failure.Parent!.Attribute("name")!.Value);
        Assert.Equal($"caught by no plan; {Broken}", failure.Attribute("message")!.Value);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, "selftest.json")))!;
        Assert.Equal(Broken, json["brokenPromises"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task ADefectNoPlanCatches_ExitsOneNamingIt()
    {
        Script((_, _) => true);

        var (code, output, _) = await CliRunner.RunAsync("selftest", "--plans", "smoke", "--defects", "sticky-node", "--report-dir", _dir);

        Assert.Equal(ExitCodes.ClaimFailed, code);
        Assert.Contains("not caught: sticky-node passed every plan it ran (smoke); run one alone: again sticky-node smoke", output, StringComparison.Ordinal);
        var junit = XDocument.Load(Path.Combine(_dir, "junit.xml"));
        var failure = Assert.Single(junit.Descendants("failure"));
        Assert.Equal("sticky-node is caught", failure.Parent!.Attribute("name")!.Value);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, "selftest.json")))!;
        Assert.Equal("fail", json["verdict"]!.GetValue<string>());
        Assert.Equal(["again clean smoke", "again sticky-node smoke"], json["cells"]!.AsArray().Select(c => c!["command"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AFalseAlarm_ExitsOneNamingThePlan()
    {
        Script((defect, plan) => defect is null ? plan != "smoke" : false);

        var (code, output, _) = await CliRunner.RunAsync("selftest", "--plans", "smoke,node-loss", "--defects", "no-failover", "--report-dir", _dir);

        Assert.Equal(ExitCodes.ClaimFailed, code);
        Assert.Contains("false alarm: the clean wallet failed smoke (success_rate >= 95% (observed 60%)); run it alone: again clean smoke", output, StringComparison.Ordinal);
        Assert.Contains("- false alarm: the clean wallet failed smoke (success_rate >= 95% (observed 60%)); run it alone: again clean smoke", await File.ReadAllTextAsync(Path.Combine(_dir, "selftest.md")), StringComparison.Ordinal);
        var failure = Assert.Single(XDocument.Load(Path.Combine(_dir, "junit.xml")).Descendants("failure"));
        Assert.Equal("success_rate >= 95% (observed 60%); run it alone: again clean smoke", failure.Attribute("message")!.Value);
    }

    [Fact]
    public async Task Runs_ThatGaveNoVerdict_AreJunitErrors_NotClaimFailures()
    {
        SelftestCommand.CellRunnerFactory = _ => (defect, plan, folder, _) =>
        {
            _ran.Add((defect, plan.Name));
            return Task.FromResult(new SelftestCell(defect, plan.Name, false, [], "the run could not complete (exit 3): wallet did not start", 1, folder, "again"));
        };

        var (code, _, _) = await CliRunner.RunAsync("selftest", "--plans", "smoke", "--defects", "sticky-node", "--report-dir", _dir);

        Assert.Equal(ExitCodes.ClaimFailed, code);
        var junit = XDocument.Load(Path.Combine(_dir, "junit.xml"));
        var suite = junit.Descendants("testsuite").Single();
        Assert.Equal(("2", "0", "2"), ((string?)suite.Attribute("tests"), (string?)suite.Attribute("failures"), (string?)suite.Attribute("errors")));
        Assert.Empty(junit.Descendants("failure"));
        var errors = junit.Descendants("error").Select(e => (string)e.Attribute("message")!).ToArray();
        Assert.StartsWith("the run could not complete (exit 3): wallet did not start", errors[0], StringComparison.Ordinal);
        Assert.Equal("no run with it gave a verdict: smoke: the run could not complete (exit 3): wallet did not start", errors[1]);
    }

    [Fact]
    public async Task ADefectWhoseRunBroke_IsNotCaught_AndBreaksThePlansPromise()
    {
        // The clean wallet passes lb-fairness; the sticky-node run there crashes before a verdict: that proves nothing.
        SelftestCommand.CellRunnerFactory = _ => (defect, plan, folder, _) =>
        {
            _ran.Add((defect, plan.Name));
            var broke = defect is not null;
            return Task.FromResult(new SelftestCell(defect, plan.Name, !broke, [], broke ? "wallet did not start" : null, 1, folder, $"again {defect ?? "clean"} {plan.Name}"));
        };

        var (code, output, _) = await CliRunner.RunAsync("selftest", "--plans", "lb-fairness", "--defects", "sticky-node", "--report-dir", _dir);

        Assert.Equal(ExitCodes.ClaimFailed, code);
        Assert.Contains("not caught: sticky-node gave no verdict in lb-fairness (wallet did not start) and passed any other plan it ran; run one alone: again sticky-node lb-fairness", output, StringComparison.Ordinal);
        Assert.Contains("broken promise: lb-fairness promises to catch sticky-node, but that run gave no verdict (wallet did not start)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("selftest: pass", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromisedOnly_RunsEachDefectOnlyWhereAPlanPromisesIt()
    {
        Script((_, _) => true);

        var (code, output, _) = await CliRunner.RunAsync("selftest", "--plans", "smoke,lb-fairness", "--defects", "sticky-node,no-failover", "--promised-only", "--report-dir", _dir);

        Assert.Equal([(null, "smoke"), (null, "lb-fairness"), ("sticky-node", "lb-fairness")], _ran);
        Assert.Equal(ExitCodes.ClaimFailed, code);
        Assert.Contains("not caught: no-failover (no selected plan promises to catch it, and --promised-only ran no other)", output, StringComparison.Ordinal);
        Assert.Contains("broken promise: lb-fairness promises to catch sticky-node, but that wallet passed it", output, StringComparison.Ordinal);
        Assert.Contains("| `no-failover` | - | - | **NOT CAUGHT** |", await File.ReadAllTextAsync(Path.Combine(_dir, "selftest.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDefaultPlans_AreTheShippedOnesButSoakAndCapacity()
    {
        var plans = SelftestCommand.SelectPlans(null).Select(p => p.Name).ToArray();

        Assert.DoesNotContain("soak", plans);
        Assert.DoesNotContain("capacity", plans);
        Assert.Contains("default", plans);
        Assert.Contains("instance-crash", plans);
        Assert.Equal(["no-failover"], SelftestCommand.SelectPlans("node-loss").Single().Catches.Select(c => c.Defect));
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData("--defects", "no-failover,sticky-nod", "--defects: \"sticky-nod\" is not a planted defect; allowed: ")]
    [InlineData("--defects", "no-failover,", "--defects: \"no-failover,\" has an empty entry")]
    [InlineData("--plans", "smoke,smokey", "--plans: no plan named \"smokey\"")]
    [InlineData("--plans", "smoke,smoke", "--plans: \"smoke\" is listed twice")]
    [InlineData("--defects", "no-failover,no-failover", "--defects: \"no-failover\" is listed twice")]
    [InlineData("--duration", "0s", "--duration: \"0s\" must be more than 0.")]
    [InlineData("--duration", "0.0001ms", "--duration: \"0.0001ms\" must be more than 0 (it rounds to 0; the smallest duration is 0.001ms).")]
    [InlineData("--duration", "10s ", "--duration: \"10s \" is not a duration; expected a number with a unit")]
    [InlineData("--duration", "ten", "--duration")]
    [InlineData("--seed", "x", "--seed: \"x\" is not a whole number.")]
    [InlineData("--seed", "99999999999", "--seed: \"99999999999\" is more than 2147483647; a seed is a whole number from 0 to 2147483647.")]
    public async Task BadInput_ExitsTwoWithOneLineAndRunsNothing(string flag, string value, string expected)
    {
        Script((_, _) => true);

        var (code, output, err) = await CliRunner.RunAsync("selftest", flag, value, "--report-dir", _dir);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(_ran);
        Assert.Empty(output);
        Assert.False(Directory.Exists(_dir), "nothing is left behind");
    }

    [Fact]
    public async Task Help_ListsEveryFlag()
    {
        var (code, output, _) = await CliRunner.RunAsync("selftest", "--help");

        Assert.Equal(0, code);
        foreach (var flag in new[] { "--duration", "--plans", "--defects", "--report-dir", "--seed", "--promised-only", "--dry-run" })
        {
            Assert.Contains(flag, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DryRun_ListsEachWalletsRunsInOrder_AndRunsNothing()
    {
        Script((_, _) => true);

        var (code, output, err) = await CliRunner.RunAsync("selftest", "--plans", "node-loss,lb-fairness", "--defects", "no-failover,sticky-node", "--duration", "20s", "--report-dir", _dir, "--dry-run");

        Assert.True(code == ExitCodes.AllClaimsHold, output + err);
        Assert.Empty(_ran);
        Assert.False(Directory.Exists(_dir), "a dry run writes no report");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(
        [
            $"selftest: 3 wallets (clean + 2 defects) × 2 plans = 6 runs of 20s (2m of load); reports would go in {_dir}",
            "  clean        node-loss, lb-fairness",
            "  no-failover  node-loss, lb-fairness",
            "  sticky-node  node-loss, lb-fairness",
            "load time 2m over 6 runs, plus each run's start-up and settle",
            "dry run: nothing was started; drop --dry-run to run it.",
        ], lines);
    }

    [Fact]
    public async Task DryRun_PromisedOnly_ListsEachDefectWithThePlansThatPromiseIt()
    {
        var (code, output, _) = await CliRunner.RunAsync("selftest", "--plans", "node-loss,lb-fairness", "--defects", "no-failover,sticky-node", "--promised-only", "--report-dir", _dir, "--dry-run");

        Assert.Equal(ExitCodes.AllClaimsHold, code);
        Assert.Contains("  no-failover  node-loss\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("  sticky-node  lb-fairness\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("= 4 runs of 10s", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_WithAPlanThatIsNotShipped_IsBadInput()
    {
        var (code, output, err) = await CliRunner.RunAsync("selftest", "--plans", "smok", "--dry-run", "--report-dir", _dir);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Contains("--plans", Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    /// <summary>Cells pass when <paramref name="passes"/> says so; a red one fails the claim its plan would.</summary>
    private void Script(Func<string?, string, bool> passes) =>
        SelftestCommand.CellRunnerFactory = _ => (defect, plan, folder, _) =>
        {
            _ran.Add((defect, plan.Name));
            var ok = passes(defect, plan.Name);
            var claim = plan.Name switch
            {
                "lb-fairness" => "issuer_jain_fairness >= 0.95 (observed 0.41)",
                "node-loss" => "recovery_ms <= 3s (observed 6000ms)",
                _ => "success_rate >= 95% (observed 60%)",
            };
            return Task.FromResult(new SelftestCell(defect, plan.Name, ok, ok ? [] : [claim], null, 1, folder, $"again {defect ?? "clean"} {plan.Name}"));
        };
}

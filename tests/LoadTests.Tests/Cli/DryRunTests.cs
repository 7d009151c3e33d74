using System.Net;
using System.Net.Sockets;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Tests.Cli;

/// <summary><c>run --dry-run</c>: the plan as the run would play it, every flag checked, and nothing started or sent.</summary>
public sealed class DryRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-dry-").FullName;

    [Fact]
    public async Task DefaultPlan_PrintsItsTargetLoadNodeEventAndEveryClaim_AndWritesNoReport()
    {
        var report = Path.Combine(_dir, "report");

        var (code, output, err) = await CliRunner.RunAsync("run", "--dry-run", "--report-dir", report);

        Assert.Equal(ExitCodes.AllClaimsHold, code);
        Assert.Equal(string.Empty, err);
        var lines = Lines(output);
        Assert.StartsWith("plan default: The main run", lines[0], StringComparison.Ordinal);
        Assert.Equal($"  source   {Path.Combine(PlanCatalog.Directories()[0], "default.json")}", lines[1]);
        Assert.Contains("  target   embedded: 3 issuer nodes, SMS gateway, 2 wallet instances (resilient, round_robin)", lines);
        Assert.Contains("  load     1m at 12/s in all (warm-up 3s), seed 42, settle up to 30s", lines);
        Assert.Contains("  cards    40 users with a bound card; personas healthy 85%, phone-mismatch 5%, id-mismatch 3%, expired 3%, low-balance 2%, sms-unreachable 2%", lines);
        Assert.Contains(lines, l => l.StartsWith("  scenario journey: inject 12/s for 1m; mix payment ", StringComparison.Ordinal));
        Assert.Contains("  event    at 25s for 15s: issuer-2 down, then back up", lines);
        Assert.Equal(14, lines.Count(l => l.StartsWith("  claim    ", StringComparison.Ordinal)));
        Assert.Contains("  claim    told_failed_charged == 0", lines);
        Assert.Contains("  claim    duplicate_charges == 0", lines);
        Assert.Contains($"  report   {report}", lines);
        Assert.Equal("dry run: nothing was started and no request sent; drop --dry-run to run it.", lines[^1]);
        Assert.False(Directory.Exists(report), "a dry run wrote the report folder");
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Theory]
    [InlineData("0.0001", "0.0001")]
    [InlineData("0.25", "0.25")]
    [InlineData("12.3456", "12.346")]
    public async Task ASmallRate_IsPrintedAsGiven_NotAsZero(string rate, string shown)
    {
        var (code, output, err) = await CliRunner.RunAsync("run", "--plan", "smoke", "--rate", rate, "--dry-run");

        Assert.True(code == ExitCodes.AllClaimsHold, err);
        var lines = Lines(output);
        Assert.Contains($"  load     10s at {shown}/s in all (warm-up 1s), seed 42, settle up to 30s", lines);
        Assert.Contains(lines, l => l.StartsWith($"  scenario journey: inject {shown}/s for 10s", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1/1", "  reset    before the load: every fault rule on the simulator removed, every node not up brought back up (--reset-simulator)")]
    [InlineData("2/2", "  reset    left to shard 1, which plays the faults for every shard (--reset-simulator)")]
    public async Task ResetSimulator_WithAnExternalTarget_SaysWhatTheRunWouldReset(string shard, string expected)
    {
        var (code, output, err) = await CliRunner.RunAsync(
            "run", "--plan", "smoke", "--dry-run", "--reset-simulator", "--shard", shard,
            "--wallet-url", "http://127.0.0.1:1", "--simulator-url", "http://127.0.0.1:2", "--report-dir", Path.Combine(_dir, "r"));

        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}\n{output}\n{err}");
        Assert.Equal(expected, Lines(output)[3]);
    }

    [Fact]
    public async Task ResetSimulator_WithTheEmbeddedTarget_IsRefusedWithOneLine()
    {
        var report = Path.Combine(_dir, "r");

        var (code, output, err) = await CliRunner.RunAsync("run", "--plan", "smoke", "--reset-simulator", "--no-progress", "--report-dir", report);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal(
            "error: --reset-simulator: applies to an external simulator only (target.external or --simulator-url); the embedded target starts a fresh one for every run, with no fault rules and every node up.",
            Assert.Single(Lines(err)));
        Assert.Equal(string.Empty, output);
        Assert.False(Directory.Exists(report));
    }

    [Fact]
    public async Task An_abortOnFail_claim_shows_when_its_checks_begin_scaled_with_the_run()
    {
        var plan = Path.Combine(_dir, "abort.json");
        await File.WriteAllTextAsync(plan, """
            { "rate": 2, "duration": "60s", "warmUp": "2s", "scenarios": [ { "name": "payment" } ],
              "claims": [ { "claim": "success_rate >= 99%", "abortOnFail": true, "delayAbortEval": "10s" }, "money_conserved == true" ] }
            """);

        var (code, output, err) = await CliRunner.RunAsync("run", "--plan", plan, "--duration", "30s", "--dry-run");

        Assert.True(code == ExitCodes.AllClaimsHold, err);
        var lines = Lines(output);
        Assert.Contains("  claim    success_rate >= 99% (abortOnFail: checked each second from 6s; stops the run when it fails)", lines);
        Assert.Contains("  claim    money_conserved == true", lines);
    }

    [Fact]
    public async Task A_long_span_that_is_not_whole_prints_in_hours_minutes_and_seconds_that_parse_back()
    {
        // --duration 167h59m59s scales the plan's 2s warm-up to 20159967ms and the abort checks' start to 120959800ms:
        // printed as raw milliseconds before ("from 120959800ms"), now in the grammar's largest units, which paste back.
        var plan = Path.Combine(_dir, "long.json");
        await File.WriteAllTextAsync(plan, """
            { "rate": 2, "duration": "60s", "warmUp": "2s", "scenarios": [ { "name": "payment" } ],
              "claims": [ { "claim": "success_rate >= 99%", "abortOnFail": true, "delayAbortEval": "10s" } ] }
            """);

        var (code, output, err) = await CliRunner.RunAsync("run", "--plan", plan, "--duration", "167h59m59s", "--dry-run");

        Assert.True(code == ExitCodes.AllClaimsHold, err);
        var lines = Lines(output);
        Assert.Contains("  load     167h59m59s at 2/s in all (warm-up 5h35m59.967s), seed 42, settle up to 30s", lines);
        Assert.Contains("  claim    success_rate >= 99% (abortOnFail: checked each second from 33h35m59.8s; stops the run when it fails)", lines);
        Assert.DoesNotMatch("[0-9]{6,}ms", output);
        Assert.True(DurationText.TryParse("5h35m59.967s", out var warmUp));
        Assert.Equal(TimeSpan.FromMilliseconds(20_159_967), warmUp);
        Assert.True(DurationText.TryParse("33h35m59.8s", out var checks));
        Assert.Equal(TimeSpan.FromMilliseconds(120_959_800), checks);
    }

    [Fact]
    public async Task ExternalTarget_Sharded_ShowsThisShardsLoad_AndNeverConnects()
    {
        // A wallet and a control plane that count who connects: a dry run must not.
        using var wallet = new TcpListener(IPAddress.Loopback, 0);
        using var simulator = new TcpListener(IPAddress.Loopback, 0);
        wallet.Start();
        simulator.Start();
        var walletUrl = $"http://127.0.0.1:{((IPEndPoint)wallet.LocalEndpoint).Port}";
        var simulatorUrl = $"http://127.0.0.1:{((IPEndPoint)simulator.LocalEndpoint).Port}";

        var (code, output, err) = await CliRunner.RunAsync(
            "run", "--plan", "lb-fairness", "--shard", "2/4", "--wallet-url", walletUrl, "--simulator-url", simulatorUrl,
            "--wallet-hook", "crash=kill {instance}", "--rate", "40", "--dry-run", "--report-dir", _dir);

        Assert.Equal(ExitCodes.AllClaimsHold, code);
        Assert.Equal(string.Empty, err);
        var lines = Lines(output);
        Assert.Contains($"  target   external: wallet {walletUrl}/; simulator {simulatorUrl}/; SMS gateway as the simulator's node list gives; wallet hooks crash", lines);
        Assert.Contains(lines, l => l.StartsWith("  load     ", StringComparison.Ordinal) && l.Contains(" at 10/s in all ", StringComparison.Ordinal)
            && l.EndsWith("; shard 2/4 of the load (the fault timeline plays on shard 1)", StringComparison.Ordinal));
        Assert.Contains("  risk     the simulator's own rules, read when the run starts (the card-pool check waits for them)", lines);
        Assert.False(wallet.Pending(), "the dry run connected to the wallet");
        Assert.False(simulator.Pending(), "the dry run connected to the simulator");
    }

    [Theory]
    [InlineData("0", "issuer-1")]
    [InlineData("1", "issuer-2")]
    [InlineData("2", "issuer-3")]
    public async Task NodeLoss_ShowsTheNodeTheSeedPicks(string seed, string node)
    {
        var (code, output, _) = await CliRunner.RunAsync("run", "--plan", "node-loss", "--seed", seed, "--dry-run", "--report-dir", _dir);

        Assert.Equal(ExitCodes.AllClaimsHold, code);
        Assert.Contains(Lines(output), l => l.StartsWith("  event    ", StringComparison.Ordinal) && l.EndsWith($": {node} down, then back up (picked by seed {seed})", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WalletEvents_SayHowTheHarnessDoesThem_EmbeddedBySignal_ExternalByHook()
    {
        var (_, embedded, _) = await CliRunner.RunAsync("run", "--plan", "instance-freeze", "--dry-run", "--report-dir", _dir);
        var (code, external, err) = await CliRunner.RunAsync(
            "run", "--plan", "instance-crash", "--wallet-url", "http://127.0.0.1:1", "--wallet-url", "http://127.0.0.1:2", "--simulator-url", "http://127.0.0.1:3",
            "--wallet-hook", "crash=kill {instance}", "--wallet-hook", "restart=start {instance}", "--dry-run", "--report-dir", _dir);

        Assert.Equal(
            ["  event    at 8s for 1s: wallet-2 freezes (SIGSTOP), then thawed (SIGCONT)", "  event    at 18s for 5s: wallet-2 freezes (SIGSTOP), then thawed (SIGCONT)"],
            Lines(embedded).Where(l => l.StartsWith("  event    ", StringComparison.Ordinal)));
        Assert.True(code == ExitCodes.AllClaimsHold, err);
        Assert.Contains("  event    at 10s for 10s: wallet-2 crashes (hook crash), then restarted (hook restart)", Lines(external));
    }

    [Fact]
    public async Task RiskPlan_GivesTheRunsCardPoolWarning_BeforeTheLastLine()
    {
        var (code, output, _) = await CliRunner.RunAsync("run", "--plan", "risk", "--dry-run", "--report-dir", _dir);

        Assert.Equal(ExitCodes.AllClaimsHold, code);
        var lines = Lines(output);
        Assert.StartsWith("warning: card pool too small for the issuer's velocity rule: ", lines[^2], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("  risk     the plan's rules, put in force before the load: {", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--duration", "5x", "--duration")]
    [InlineData("--shard", "5/4", "--shard")]
    [InlineData("--plan", "no-such-plan", "--plan")]
    public async Task BadFlag_IsTheSameOneLineAndExitTwo_AsARealRun(string flag, string value, string named)
    {
        var (code, output, err) = await CliRunner.RunAsync("run", "--dry-run", "--report-dir", _dir, flag, value);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains(named, Assert.Single(Lines(err)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportDirThatIsAFile_IsRefused_AsARealRunWould()
    {
        var file = Path.Combine(_dir, "r.txt");
        await File.WriteAllTextAsync(file, "x");

        var (code, _, err) = await CliRunner.RunAsync("run", "--dry-run", "--report-dir", file);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--report-dir", err, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}

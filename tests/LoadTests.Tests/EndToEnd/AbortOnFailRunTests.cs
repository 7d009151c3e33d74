using System.Text.Json.Nodes;
using System.Xml.Linq;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Tests.Cli;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// k6's abortOnFail on a real run (embedded cluster): every Authorize fails, so success_rate fails from the first
/// payment. With abortOnFail the load stops within seconds of its 20 s, the run still reconciles, the verdict is fail
/// (exit 1, not the 130 of Ctrl+C) and every report names the claim; the same plan without it runs its full length.
/// </summary>
[Collection(EndToEndSecondLane.Name)]
public sealed class AbortOnFailRunTests : IDisposable
{
    private const double PlannedSeconds = 20;
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-lt-abort-").FullName;

    [Fact]
    public async Task A_failing_abortOnFail_claim_stops_the_load_early_and_the_run_fails_naming_it()
    {
        var plan = await WritePlanAsync("""{ "claim": "success_rate >= 99%", "abortOnFail": true, "delayAbortEval": "1s" }""");
        var folder = Path.Combine(_dir, "abort");

        var (code, stdout, stderr) = await CliRunner.RunAsync("run", "--plan", plan, "--no-progress", "--report-dir", folder);

        Assert.True(code == ExitCodes.ClaimFailed, $"exit {code}\n{stdout}\n{stderr}");
        var summary = Read(folder);
        var reason = summary["abortReason"]!.GetValue<string>();
        Assert.StartsWith("claim \"success_rate >= 99%\" failed at ", reason, StringComparison.Ordinal);
        Assert.EndsWith("; the run stopped early (abortOnFail)", reason, StringComparison.Ordinal);
        Assert.Contains("(was 0%)", reason, StringComparison.Ordinal);
        Assert.Equal("fail", summary["verdict"]!.GetValue<string>());
        Assert.False(summary["aborted"]!.GetValue<bool>()); // not an interrupt: no exit 130
        Assert.Equal("success_rate >= 99%", summary["stoppedByClaim"]!["claim"]!.GetValue<string>());

        // Checks start after warm-up (1 s) + delayAbortEval (1 s); a loaded machine may be late, but nowhere near the plan's 20 s.
        var stoppedAt = summary["stoppedByClaim"]!["atS"]!.GetValue<double>();
        Assert.InRange(stoppedAt, 2, PlannedSeconds / 2);
        Assert.True(summary["durationS"]!.GetValue<double>() < PlannedSeconds * 0.6, $"ran {summary["durationS"]} s of {PlannedSeconds}");

        // Unlike Ctrl+C, it settles and reconciles as usual: the money claim is judged over the settled ledgers.
        Assert.Equal(5, summary["reconciliation"]!["settle"]!["limitS"]!.GetValue<double>());
        var claims = summary["claims"]!.AsArray().ToDictionary(c => c!["expression"]!.GetValue<string>(), c => c!);
        Assert.True(claims["money_conserved == true"]["pass"]!.GetValue<bool>(), claims["money_conserved == true"].ToJsonString());
        Assert.False(claims["success_rate >= 99%"]["pass"]!.GetValue<bool>());
        Assert.Contains("stopped the run (abortOnFail)", claims["success_rate >= 99%"]["message"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Contains($"stopped early: {reason}", stdout, StringComparison.Ordinal);
        Assert.Contains("verdict: fail (1 of 2 claims failed: success_rate >= 99%", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("run stopped early: claim", stdout, StringComparison.Ordinal); // the reason says it once
        Assert.DoesNotContain("interrupted", stderr, StringComparison.Ordinal);

        var junit = XDocument.Load(Path.Combine(folder, "junit.xml"));
        var cases = junit.Descendants("testcase").ToDictionary(t => (string)t.Attribute("name")!);
        Assert.Contains("stopped the run (abortOnFail)", (string)cases["success_rate >= 99%"].Element("failure")!.Attribute("message")!, StringComparison.Ordinal);
        Assert.Equal(reason, (string)cases["run completed"].Element("error")!.Attribute("message")!);
        Assert.Null(cases["money_conserved == true"].Element("failure"));
    }

    [Fact]
    public async Task The_same_plan_without_abortOnFail_runs_its_full_length()
    {
        var plan = await WritePlanAsync("\"success_rate >= 99%\"");
        var folder = Path.Combine(_dir, "full");

        var (code, stdout, stderr) = await CliRunner.RunAsync("run", "--plan", plan, "--no-progress", "--report-dir", folder);

        Assert.True(code == ExitCodes.ClaimFailed, $"exit {code}\n{stdout}\n{stderr}");
        var summary = Read(folder);
        Assert.Null(summary["abortReason"]);
        Assert.Null(summary["stoppedByClaim"]);
        Assert.True(summary["durationS"]!.GetValue<double>() >= PlannedSeconds * 0.95, $"ran {summary["durationS"]} s of {PlannedSeconds}");
        Assert.DoesNotContain("stopped early", stdout, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Payments at 5/s for 20 s; every Authorize fails UNAVAILABLE, so every payment fails (no decline the plan explains).</summary>
    private async Task<string> WritePlanAsync(string successClaim)
    {
        var plan = Path.Combine(_dir, $"abort-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(plan, $$"""
            { "name": "abort-on-fail", "duration": "20s", "warmUp": "1s", "seed": 7, "rate": 5, "settle": "5s",
              "target": { "embedded": { "nodes": 1, "walletInstances": 1, "walletMode": "naive" } },
              "personas": { "healthy": 1 }, "preboundCards": 5,
              "scenarios": [ { "name": "payment" } ],
              "faults": [ { "name": "issuer-down", "node": "*", "method": "Authorize", "error": { "grpcStatus": "UNAVAILABLE" } } ],
              "claims": [ {{successClaim}}, "money_conserved == true" ] }
            """);
        return plan;
    }

    private static JsonObject Read(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!.AsObject();
}

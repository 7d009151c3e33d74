using System.Text.Json.Nodes;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Tests.Cli;
using PaySim.LoadTests.Tests.EndToEnd;

namespace PaySim.LoadTests.Tests.Sharding;

[Collection(EndToEndSecondLane.Name)]
public sealed class ShardedRunTests : IDisposable
{
    private const int PlanIterations = 41;

    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-shards-").FullName;

    [Theory]
    [InlineData("0/2")]
    [InlineData("3/2")]
    [InlineData("x")]
    public async Task Run_WithABadShard_ExitsTwoWithOneLineNamingTheFlag(string shard)
    {
        var report = Path.Combine(_dir, "bad");

        var (code, _, err) = await CliRunner.RunAsync("run", "--plan", "smoke", "--no-progress", "--report-dir", report, "--shard", shard);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--shard", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(report));
    }

    [Fact]
    public async Task APlanRunAsTwoShardsAndMerged_SendsExactlyThePlansIterations()
    {
        var plan = Path.Combine(_dir, "count.json");
        await File.WriteAllTextAsync(plan, $$"""
            {
              "name": "shard-count",
              "duration": "10s",
              "warmUp": "0s",
              "target": { "embedded": { "nodes": 1, "walletInstances": 1 } },
              "personas": { "healthy": 1 },
              "preboundCards": 3,
              "scenarios": [ { "name": "history", "load": [ { "kind": "iterations", "copies": 3, "count": {{PlanIterations}} } ] } ],
              "claims": [ "scenario:history count == {{PlanIterations}}", "success_rate >= 99%" ]
            }
            """);
        var (s1, s2, merged) = (Path.Combine(_dir, "s1"), Path.Combine(_dir, "s2"), Path.Combine(_dir, "merged"));
        var (r1, r2, m) = await RunTwoShardsAndMergeAsync(plan, s1, s2, merged);

        // Alone, each shard falls short of the plan's count (its claim fails); merged they are exact.
        Assert.True(r1.ExitCode == ExitCodes.ClaimFailed, $"shard 1: exit {r1.ExitCode}\n{r1.Out}\n{r1.Err}");
        Assert.True(r2.ExitCode == ExitCodes.ClaimFailed, $"shard 2: exit {r2.ExitCode}\n{r2.Out}\n{r2.Err}");
        Assert.Equal(21, Count(s1));
        Assert.Equal(20, Count(s2));
        Assert.Equal(1, Shard(s1)["index"]!.GetValue<int>());
        Assert.Equal(2, Shard(s2)["count"]!.GetValue<int>());
        Assert.True(m.ExitCode == ExitCodes.AllClaimsHold, $"merge: exit {m.ExitCode}\n{m.Out}\n{m.Err}");
        Assert.Equal(PlanIterations, Count(merged));
        // Each shard reconciled its own cards; merged, the cards add up and every figure is still read.
        var reconciliation = Summary(merged)["reconciliation"]!;
        Assert.Equal(Summary(s1)["reconciliation"]!["cards"]!.GetValue<long>() + Summary(s2)["reconciliation"]!["cards"]!.GetValue<long>(), reconciliation["cards"]!.GetValue<long>());
        Assert.Equal(0, reconciliation["stuckPending"]!.GetValue<long>());
        Assert.Equal(0, Summary(merged)["figures"]!["orphan_holds"]!.GetValue<double>());
    }

    [Fact]
    public async Task AShardThatPlaysNoneOfThePlansFaults_SaysSo_AndMergeRefusesEmbeddedShardsOfAFaultPlan()
    {
        var plan = Path.Combine(_dir, "faulty.json");
        await File.WriteAllTextAsync(plan, """
            {
              "name": "shard-faults",
              "duration": "2s",
              "warmUp": "0s",
              "target": { "embedded": { "nodes": 1, "walletInstances": 1 } },
              "personas": { "healthy": 1 },
              "preboundCards": 2,
              "scenarios": [ { "name": "history", "load": [ { "kind": "iterations", "copies": 1, "count": 4 } ] } ],
              "faults": [ { "name": "slow", "method": "Authorize", "latency": "5ms", "start": "0s", "duration": "2s" } ],
              "claims": [ "success_rate >= 50%" ]
            }
            """);
        var (s1, s2, merged) = (Path.Combine(_dir, "s1"), Path.Combine(_dir, "s2"), Path.Combine(_dir, "merged"));
        var (r1, r2, m) = await RunTwoShardsAndMergeAsync(plan, s1, s2, merged);

        const string expected = "shard 2/2 plays none of the plan's 1 faults and events: shard 1 plays them for every shard, on its own embedded cluster, so they never reach this shard's users; this report alone does not judge the plan under them, and merge refuses it";
        Assert.Contains("warning: " + expected, r2.Out + r2.Err, StringComparison.Ordinal);
        Assert.Contains(Summary(s2)["warnings"]!.AsArray(), w => w!.GetValue<string>().StartsWith(expected, StringComparison.Ordinal));

        // Each embedded shard had its own cluster: merged, shard 2's fault-free load would dilute shard 1's fault window.
        Assert.True(r1.ExitCode is ExitCodes.AllClaimsHold or ExitCodes.ClaimFailed, $"shard 1: exit {r1.ExitCode}\n{r1.Out}\n{r1.Err}");
        Assert.Equal(1, Shard(s2)["planEvents"]!.GetValue<int>());
        Assert.True(m.ExitCode == ExitCodes.BadInput, $"merge: exit {m.ExitCode}\n{m.Out}\n{m.Err}");
        Assert.Equal(
            $"error: merge: {s2} (shard 2/2) ran on its own embedded cluster, so it played none of the plan's 1 faults and events (shard 1 played them on its cluster only) and merged it would dilute the fault window into a pass; run every shard against one external target (--simulator-url, --wallet-url; docs/scale-out.md).",
            Assert.Single(m.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(Directory.Exists(merged));
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

    /// <summary><c>run --shard 1/2</c>, <c>run --shard 2/2</c> of the plan into their folders, then <c>merge</c> of both.</summary>
    private static async Task<((int ExitCode, string Out, string Err) R1, (int ExitCode, string Out, string Err) R2, (int ExitCode, string Out, string Err) Merge)> RunTwoShardsAndMergeAsync(
        string plan, string s1, string s2, string merged)
    {
        var r1 = await CliRunner.RunAsync("run", "--plan", plan, "--no-progress", "--report-dir", s1, "--shard", "1/2");
        var r2 = await CliRunner.RunAsync("run", "--plan", plan, "--no-progress", "--report-dir", s2, "--shard", "2/2");
        return (r1, r2, await CliRunner.RunAsync("merge", s1, s2, "--report-dir", merged));
    }

    private static JsonObject Summary(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!.AsObject();

    private static long Count(string folder)
    {
        var scenario = Summary(folder)["scenarios"]!.AsArray().Single()!;
        return scenario["ok"]!.GetValue<long>() + scenario["fail"]!.GetValue<long>();
    }

    private static JsonObject Shard(string folder) => Summary(folder)["shard"]!.AsObject();
}

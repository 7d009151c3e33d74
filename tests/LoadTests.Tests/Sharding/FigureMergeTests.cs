using System.Text.Json.Nodes;
using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Sharding;

namespace PaySim.LoadTests.Tests.Sharding;

/// <summary>
/// A merged run of two shards gives each figure its rule's value (<see cref="FigureMergeKind"/>): recomputed from the
/// merged histograms, counts, census and ledgers; summed; the shared simulator's (shard 1's, or the worst shard's for an
/// invariant, and any shard's own value can fail the claim); bounded by the largest
/// shard's; scaled; or not mergeable, said in the merged claim.
/// </summary>
public sealed class FigureMergeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-figure-merge-").FullName;

    [Fact]
    public async Task MergeOfTwoShards_GivesEachKindOfMergeRuleItsValue()
    {
        string[] claims = ["ok_count >= 0", "fault_p99_ms[1] < 1000", "p99_drift < 10", "knee_rps >= 0", "duplicate_charges == 0", "errors_during_fault >= 0", "recovery_ms <= 5s", "issuer_jain_fairness >= 0.8", "money_conserved == true"];
        var a = await WriteShardAsync(1, ok: 90, fail: 10, walletReplies: [60, 40], payCalls: 300, excessCharges: 1, resends: 2, claims, new()
        {
            ["duplicate_charges"] = 0, ["money_conserved"] = 1, ["issuer_jain_fairness"] = 0.9, ["issuer_node_share[issuer-1]"] = 0.6, ["issuer_node_share[issuer-2]"] = 0.4,
            ["errors_during_fault"] = 3, ["fault_p99_ms[1]"] = 120, ["knee_rps"] = 100, ["retry_amplification"] = 1.5,
            ["p99_drift"] = 1.2, ["failover_detect_ms"] = 2000, ["recovery_ms"] = 4000, ["memory_growth_mb"] = 12, ["step_up_success_rate"] = 0.9,
        }, qrCalls: 100, resets: (3, new() { ["sms_timeout"] = 1 }));
        var b = await WriteShardAsync(2, ok: 45, fail: 5, walletReplies: [20, 30], payCalls: 100, excessCharges: 2, resends: 4, claims, new()
        {
            ["duplicate_charges"] = 5, ["money_conserved"] = 0, ["issuer_jain_fairness"] = 0.5, ["issuer_node_share[issuer-1]"] = 0.9, ["issuer_node_share[issuer-2]"] = 0.1,
            ["errors_during_fault"] = 4, ["fault_p99_ms[1]"] = 340, ["fault_p99_ms[2]"] = 80, ["knee_rps"] = 300, ["retry_amplification"] = 9,
            ["p99_drift"] = 3, ["failover_detect_ms"] = 9000, ["recovery_ms"] = 10000, ["memory_growth_mb"] = 99, ["step_up_success_rate"] = 5.0 / 6,
        }, qrCalls: 0, resets: (4, new() { ["sms_timeout"] = 1, ["reset_code_invalid"] = 1 }));

        var (merged, _) = ShardMerger.Merge(ShardReader.ReadAll([a, b]));

        double? Figure(string key) => merged.Extra["figures"]![key]?.GetValue<double>();
        var checkedKinds = new HashSet<FigureMergeKind>();
        void Check(string key, double? expected)
        {
            checkedKinds.Add(FigureCatalog.Owner(key)!.Merge.Kind);
            Assert.True(expected is null ? Figure(key) is null : Math.Abs(Figure(key)!.Value - expected.Value) < 1e-4, $"{key}: merged {Figure(key)}, expected {expected}");
        }

        // Recompute: from the merged histograms and counts, the summed bindings, the merged census and ledgers.
        Check("ok_count", 135);
        Check("fail_count", 15);
        Check("success_rate", 135.0 / 150);
        Check("bind_resends", 6);
        var replies = new[] { 80.0, 70.0 };
        Check("wallet_jain_fairness", Math.Pow(replies.Sum(), 2) / (2 * replies.Sum(r => r * r)));
        Check("wallet_max_node_share", 80.0 / 150);
        Check("excess_charges", 3);
        // Step-ups: from the summed outcomes by cause (shard 1: 9 of 10, shard 2: 5 of 6), never shard 1's share.
        Check("step_up_success_rate", 14.0 / 16);
        Check("step_up_failures", 2);
        Check("step_up_failures[sms_timeout]", 1);
        Check("step_up_failures[otp_wrong]", 1);
        Assert.Equal(16, merged.Extra["stepUps"]!["attempts"]!.GetValue<long>());
        Check("password_reset_success_rate", 7.0 / 10);
        Check("password_reset_failures", 3);
        Check("password_reset_failures[sms_timeout]", 2);
        Check("password_reset_failures[reset_code_invalid]", 1);
        Assert.Equal(10, merged.Extra["passwordResets"]!["attempts"]!.GetValue<long>());
        Assert.Equal(2, merged.Extra["passwordResets"]!["byCause"]!["sms_timeout"]!.GetValue<long>());

        // Sum: each shard counted its own failed iterations in the fault windows.
        Check("errors_during_fault", 7);
        Assert.Equal(7, merged.Extra["failover"]!["errorsDuringFault"]!.GetValue<long>());

        // Global: the simulator is shared, so shard 1's figures stand (summing shard 2's would double count), but each
        // shard measured it over its own window: a violation count is the most any shard saw, an invariant the worst,
        // and the summary's own fields say the same.
        Check("duplicate_charges", 5);
        Check("money_conserved", 0);
        Assert.Equal(5, merged.Extra["duplicateCharges"]!.GetValue<long>());
        Assert.False(merged.Extra["moneyConserved"]!.GetValue<bool>());
        Check("issuer_jain_fairness", 0.9);
        Check("issuer_node_share[issuer-1]", 0.6);

        // UpperBound: the largest shard's, for every window any shard measured.
        Check("fault_p99_ms[1]", 340);
        Check("fault_p99_ms[2]", 80);

        // The slowest shard's failover: shard 1 recovered within the claim's 5 s, shard 2's users waited 10 s.
        Check("failover_detect_ms", 9000);
        Check("recovery_ms", 10000);

        // Scaled: shard 1's knee × 2 shards; shard 1's issuer calls (global) over every shard's wallet calls (a QR payment is one Authorize too).
        Check("knee_rps", 200);
        Check("retry_amplification", 1.5 * (300 + 100) / (400 + 100));

        // NotMergeable: shard 1's, and the merged claim says so.
        Check("p99_drift", 1.2);
        Check("memory_growth_mb", 12);

        Assert.Equal(Enum.GetValues<FigureMergeKind>().Order(), checkedKinds.Order());
        string? Message(string expression) => merged.Claims.Single(c => c.Expression == expression).Message;
        Assert.Equal("shard 1's figure: not recomputable from shard summaries", Message("p99_drift < 10"));
        Assert.Equal("the largest shard's: an upper bound", Message("fault_p99_ms[1] < 1000"));
        Assert.Equal("shard 1's knee × shard count", Message("knee_rps >= 0"));
        Assert.False(merged.Claims.Single(c => c.Expression == "recovery_ms <= 5s").Pass);
        Assert.Contains("the slowest shard's: the run's is no shorter", Message("recovery_ms <= 5s"), StringComparison.Ordinal);
        Assert.DoesNotContain("shard 1", Message("ok_count >= 0") ?? string.Empty, StringComparison.Ordinal);
        Assert.False(merged.Claims.Single(c => c.Expression == "duplicate_charges == 0").Pass);
        Assert.False(merged.Claims.Single(c => c.Expression == "money_conserved == true").Pass);
        Assert.DoesNotContain("shard 1", Message("duplicate_charges == 0") ?? string.Empty, StringComparison.Ordinal);

        // A claim on a shared figure shard 1's value passes fails when another shard's own value fails it, and says whose.
        var fairness = merged.Claims.Single(c => c.Expression == "issuer_jain_fairness >= 0.8");
        Assert.False(fairness.Pass);
        Assert.Equal(0.5, fairness.Observed);
        Assert.Equal("shard 2/2's: each shard saw the shared simulator over its own window, and this one's fails the claim", fairness.Message);
    }

    [Fact]
    public async Task Merge_ListsEachShardsOutFile_AndKeepsNoShardsOutAsTheMergedRuns()
    {
        var figures = new Dictionary<string, double> { ["errors_during_fault"] = 0 };
        var a = await WriteShardAsync(1, ok: 9, fail: 1, walletReplies: [5], payCalls: 10, excessCharges: 0, resends: 0, [], figures, qrCalls: 0, resets: (0, []), outPath: "/tmp/shard-1.json");
        var b = await WriteShardAsync(2, ok: 9, fail: 1, walletReplies: [5], payCalls: 10, excessCharges: 0, resends: 0, [], figures, qrCalls: 0, resets: (0, []), outPath: null);

        var (merged, _) = ShardMerger.Merge(ShardReader.ReadAll([a, b]));

        Assert.Null(merged.Extra["out"]);
        Assert.Equal("[\"/tmp/shard-1.json\",null]", merged.Extra["shard"]!["outs"]!.ToJsonString());
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

    private async Task<string> WriteShardAsync(
        int index, int ok, int fail, long[] walletReplies, long payCalls, long excessCharges, long resends, string[] claims, Dictionary<string, double> figures,
        long qrCalls, (long Reset, Dictionary<string, long> Failed) resets, string? outPath = null)
    {
        var histogram = HistogramCodec.CreateHistogram();
        for (var i = 0; i < ok + fail; i++)
        {
            histogram.RecordValue(1_000 * (1 + (i % 50)));
        }

        StepSummary Stats(StepSummary s)
        {
            s.Ok = ok;
            s.Fail = fail;
            s.DurationS = 10;
            s.Rps = (ok + fail) / 10.0;
            s.HistogramObject = histogram;
            s.Histogram = HistogramCodec.Encode(histogram);
            s.LatencyMs = LatencySummary.FromHistogram(histogram);
            return s;
        }

        var scenario = (ScenarioSummary)Stats(new ScenarioSummary { Name = "payment" });
        scenario.Steps.Add(Stats(new StepSummary { Name = "pay" }));
        var summary = new RunSummary { Plan = "lb-fairness", StartedUtc = DateTimeOffset.UnixEpoch, DurationS = 10, Scenarios = [scenario] };
        summary.Extra["shard"] = new JsonObject { ["index"] = index, ["count"] = 2 };
        summary.Extra["rate"] = 15.0;
        if (outPath is not null)
        {
            summary.Extra["out"] = new JsonObject { ["path"] = outPath, ["format"] = "json", ["gzip"] = false, ["requests"] = ok + fail, ["points"] = 2 * (ok + fail), ["dropped"] = 0 };
        }
        summary.Extra["walletInstances"] = new JsonArray(walletReplies.Select((r, i) => (JsonNode?)new JsonObject { ["name"] = $"wallet-{i + 1}", ["replies"] = r }).ToArray());
        summary.Extra["fairness"] = new JsonObject { ["jain"] = 0.9, ["walletJain"] = 0.5 };
        summary.Extra["failover"] = new JsonObject { ["errorsDuringFault"] = figures["errors_during_fault"] };
        summary.Extra["walletCalls"] = new JsonObject { ["pay"] = payCalls, ["pay_qr"] = qrCalls };
        summary.Extra["stepUps"] = new JsonObject
        {
            ["byCause"] = index == 1
                ? new JsonObject { ["authenticated"] = 9, ["sms_timeout"] = 1 }
                : new JsonObject { ["authenticated"] = 5, ["otp_wrong"] = 1 },
        };
        summary.Extra["passwordResets"] = new JsonObject
        {
            ["attempts"] = resets.Reset + resets.Failed.Values.Sum(), ["reset"] = resets.Reset,
            ["byCause"] = new JsonObject(resets.Failed.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))),
        };
        summary.Extra["bindings"] = new JsonObject { ["attempts"] = resends, ["bound"] = resends, ["resends"] = resends, ["boundAfterResend"] = 0, ["byCause"] = new JsonObject { ["bound"] = resends } };
        summary.Extra["reconciliation"] = new JsonObject
        {
            ["excessCharges"] = excessCharges, ["excessMinor"] = excessCharges * 100, ["lostPayments"] = 0, ["orphanHolds"] = 0,
            ["stuckPending"] = 0, ["refundMismatch"] = 0, ["toldFailedCharged"] = 0, ["duplicateWalletPayments"] = 0, ["cards"] = 10,
        };
        summary.Extra["figures"] = new JsonObject(figures.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value)));
        foreach (var c in claims)
        {
            summary.AddClaim(new ClaimResult { Name = c, Expression = c, Pass = true, Observed = 0, ObservedText = "0" });
        }

        var folder = Path.Combine(_dir, $"shard{index}");
        await ReportWriter.WriteAsync(folder, summary, []);
        return folder;
    }
}

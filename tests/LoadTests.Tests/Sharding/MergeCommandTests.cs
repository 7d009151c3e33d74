using System.Text.Json.Nodes;
using HdrHistogram;
using PaySim.LoadEngine;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Reporting;
using PaySim.LoadTests.Tests.Cli;

namespace PaySim.LoadTests.Tests.Sharding;

/// <summary>
/// <c>merge</c> over shard folders built from known recorded values, so the merged figures can be
/// compared with one histogram that holds every value (what a single process would have recorded).
/// </summary>
public sealed class MergeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-merge-").FullName;

    [Fact]
    public async Task Merge_OfTwoShards_HasExactCountsAndThePercentilesOfOneHistogramHoldingEveryValue()
    {
        var random = new Random(20261123);
        var values = Enumerable.Range(0, 5_000).Select(_ => (long)Math.Exp(5 + random.NextDouble() * 8)).ToArray(); // ~150 µs .. 450 ms
        var shard1 = values.Where((_, i) => i % 3 != 0).ToArray(); // uneven on purpose: 3,333 vs 1,667
        var shard2 = values.Where((_, i) => i % 3 == 0).ToArray();
        string[] claims = [$"scenario:payment count == {values.Length}", "wallet_jain_fairness >= 0.95", "duplicate_charges <= 2", "step:pay p99 < 1h", "bind_resends == 6"];
        var a = await WriteShardAsync("a", 1, 2, shard1, fail: 7, walletReplies: [1700, 1640], claims: claims);
        var b = await WriteShardAsync("b", 2, 2, shard2, fail: 3, walletReplies: [830, 840], claims: claims);
        var outDir = Path.Combine(_dir, "merged");

        var (code, stdout, stderr) = await CliRunner.RunAsync("merge", a, b, "--report-dir", outDir);

        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}\n{stdout}\n{stderr}");
        var merged = RunSummary.FromJson(await File.ReadAllTextAsync(Path.Combine(outDir, "summary.json")));
        var payment = merged.FindScenario("payment")!;
        Assert.Equal(values.Length - 10, payment.Ok);
        Assert.Equal(10, payment.Fail);
        Assert.Equal(values.Length, payment.Ok + payment.Fail);
        Assert.Equal(values.Length / 10.0, payment.Rps, 9);
        Assert.Equal(values.Length - 10, payment.StatusCodes["200"]);

        var reference = HistogramCodec.CreateHistogram();
        foreach (var v in values)
        {
            reference.RecordValue(v);
        }

        var expected = LatencySummary.FromHistogram(reference);
        foreach (var actual in new[] { payment.LatencyMs, payment.Steps.Single(s => s.Name == "pay").LatencyMs })
        {
            Assert.Equal(expected.P50, actual.P50);
            Assert.Equal(expected.P90, actual.P90);
            Assert.Equal(expected.P99, actual.P99);
            Assert.Equal(expected.P999, actual.P999);
            Assert.Equal(expected.Max, actual.Max);
            Assert.Equal(expected.Min, actual.Min);
            Assert.Equal(expected.Mean, actual.Mean, 9);
        }

        Assert.Equal(values.Length, payment.HistogramObject!.TotalCount);
        var shardField = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "summary.json")))!["shard"]!;
        Assert.Equal(["paysim run --plan lb-fairness --shard 1/2 --seed 42", "paysim run --plan lb-fairness --shard 2/2 --seed 42"], shardField["commands"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Null(merged.Command);
        Assert.Equal(reference.GetValueAtPercentile(99), payment.HistogramObject.GetValueAtPercentile(99));

        // The claims are judged again from the merged statistics, not copied from a shard.
        var countClaim = merged.Claims.Single(c => c.Expression == $"scenario:payment count == {values.Length}");
        Assert.True(countClaim.Pass, countClaim.Message);
        Assert.Equal(values.Length, countClaim.Observed);
        var walletJain = merged.Claims.Single(c => c.Expression == "wallet_jain_fairness >= 0.95");
        Assert.True(walletJain.Pass);
        var totals = new[] { 1700.0 + 830, 1640.0 + 840 };
        Assert.Equal(Math.Pow(totals.Sum(), 2) / (2 * totals.Sum(t => t * t)), walletJain.Observed!.Value, 9);
        Assert.Equal(2530, merged.Extra["walletInstances"]!.AsArray().Single(w => w!["name"]!.GetValue<string>() == "wallet-1")!["replies"]!.GetValue<long>());

        // OTP resends: each agent counted its own users' resends.
        Assert.Equal(6, merged.Extra["bindings"]!["resends"]!.GetValue<long>());
        Assert.Equal(3, merged.Extra["bindings"]!["boundAfterResend"]!.GetValue<long>());
        Assert.Equal(6, merged.Claims.Single(c => c.Expression == "bind_resends == 6").Observed);

        // Simulator-side figures are global: both shards saw the same 2 duplicates over their overlapping windows; summed
        // they would count 4.
        Assert.Equal(2, merged.Claims.Single(c => c.Expression == "duplicate_charges <= 2").Observed);
        Assert.Equal(2, merged.Extra["shard"]!["count"]!.GetValue<int>());
        foreach (var file in new[] { "report.html", "report.md", "junit.xml", "timeseries.csv" })
        {
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        }
    }

    [Fact]
    public async Task Merge_WhenAMergedStatisticBreaksAClaim_ExitsOne()
    {
        var a = await WriteShardAsync("a", 1, 2, [100, 200, 300], fail: 0, walletReplies: [3, 0], claims: ["scenario:payment count == 3"]);
        var b = await WriteShardAsync("b", 2, 2, [100, 200, 300], fail: 0, walletReplies: [0, 3], claims: ["scenario:payment count == 3"]);

        var (code, stdout, _) = await CliRunner.RunAsync("merge", a, b, "--report-dir", Path.Combine(_dir, "m"));

        // Each shard passed its own count == 3; together they sent 6.
        Assert.Equal(ExitCodes.ClaimFailed, code);
        Assert.Contains("count", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merge_AddsTargetRatesAndStepCountsPerSecond_BoundsStepPercentiles_AndDrawsShardOnesFaultWindows()
    {
        static TimeSeriesPoint Point(int second, double target, params StepPoint[] steps) => new()
        {
            Second = second, ElapsedS = second, Scenario = "payment", Requests = steps.Sum(s => s.Requests), Ok = steps.Sum(s => s.Ok), Fail = steps.Sum(s => s.Fail),
            Rps = steps.Sum(s => s.Requests), P50Ms = 10, P99Ms = steps.Max(s => s.P99Ms), TargetRps = target, Steps = steps,
            MaxStartLagMs = second * target / 2, // shard a: 3, 6; shard b: 2, 4
        };

        static StepPoint Step(string name, long ok, long fail, double p99) => new() { Name = name, Requests = ok + fail, Ok = ok, Fail = fail, P50Ms = p99 / 2, P99Ms = p99 };
        var timeline = new JsonArray(
            new JsonObject { ["what"] = "node issuer-2 down", ["atS"] = 0.5, ["error"] = null },
            new JsonObject { ["what"] = "node issuer-2 down ended", ["atS"] = 1.5, ["error"] = null });
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1], claims: [], faultTimeline: timeline, target: "external",
            series: [Point(1, 6, Step("bind", 2, 0, 30), Step("pay", 5, 0, 40)), Point(2, 6, Step("pay", 6, 0, 20))]);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1], claims: [], target: "external",
            series: [Point(1, 4, Step("pay", 2, 1, 70)), Point(2, 4, Step("pay", 4, 0, 15))]);
        var outDir = Path.Combine(_dir, "series");

        var (code, stdout, stderr) = await CliRunner.RunAsync("merge", a, b, "--report-dir", outDir);

        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Equal(
            [
                "second,elapsed_s,scenario,requests,ok,fail,dropped,rps,p50_ms,p99_ms,concurrency,target_rps,max_start_lag_ms",
                "1,1,payment,10,9,1,0,10,10,70,0,10,3",
                "2,2,payment,10,10,0,0,10,10,20,0,10,6",
            ],
            await File.ReadAllLinesAsync(Path.Combine(outDir, "timeseries.csv")));
        Assert.Equal(
            [
                "second,elapsed_s,scenario,step,requests,ok,fail,p50_ms,p99_ms",
                "1,1,payment,bind,2,2,0,15,30",
                "1,1,payment,pay,8,7,1,35,70",
                "2,2,payment,pay,10,10,0,10,20",
            ],
            await File.ReadAllLinesAsync(Path.Combine(outDir, "timeseries-steps.csv")));
        var html = await File.ReadAllTextAsync(Path.Combine(outDir, "report.html"));
        Assert.Contains("data-chart=\"latency-steps:payment\"", html, StringComparison.Ordinal);
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Count(html, "<g class=\"band\" data-fault=\"node issuer-2 down\" data-start-s=\"0.5\" data-end-s=\"1.5\""));
    }

    [Fact]
    public async Task Merge_OfShardsWrittenBeforeTheStepSeries_StillMerges_WithTheStepsTheShardsHave()
    {
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1], claims: [],
            series: [new TimeSeriesPoint { Second = 1, ElapsedS = 1, Scenario = "payment", Requests = 3, Ok = 3, Rps = 3, TargetRps = 3, Steps = [new StepPoint { Name = "pay", Requests = 3, Ok = 3, P50Ms = 5, P99Ms = 9 }] }]);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1], claims: [],
            series: [new TimeSeriesPoint { Second = 1, ElapsedS = 1, Scenario = "payment", Requests = 2, Ok = 2, Rps = 2 }]);
        // An older shard: no timeseries-steps.csv, no target_rps column.
        File.Delete(Path.Combine(b, "timeseries-steps.csv"));
        await File.WriteAllLinesAsync(Path.Combine(b, "timeseries.csv"), ["second,elapsed_s,scenario,requests,ok,fail,dropped,rps,p50_ms,p99_ms,concurrency", "1,1,payment,2,2,0,0,2,0,0,0"]);
        var outDir = Path.Combine(_dir, "old");

        var (code, stdout, stderr) = await CliRunner.RunAsync("merge", a, b, "--report-dir", outDir);

        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Equal("1,1,payment,5,5,0,0,5,0,0,0,3,0", (await File.ReadAllLinesAsync(Path.Combine(outDir, "timeseries.csv")))[1]);
        Assert.Equal("1,1,payment,pay,3,3,0,5,9", (await File.ReadAllLinesAsync(Path.Combine(outDir, "timeseries-steps.csv")))[1]);
    }

    [Fact]
    public async Task Merge_ScalesShardOnesCapacityKneeToTheWholeLoad_AndSaysWhereTheFigureCameFrom()
    {
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1], claims: ["knee_rps >= 150"], extraFigures: new() { ["knee_rps"] = 100 });
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1], claims: ["knee_rps >= 150"], extraFigures: new() { ["knee_rps"] = 100 });
        var outDir = Path.Combine(_dir, "knee");

        var (code, stdout, stderr) = await CliRunner.RunAsync("merge", a, b, "--report-dir", outDir);

        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}\n{stdout}\n{stderr}");
        var knee = RunSummary.FromJson(await File.ReadAllTextAsync(Path.Combine(outDir, "summary.json"))).Claims.Single();
        Assert.Equal(200, knee.Observed);
        Assert.Contains("shard 1's knee", knee.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merge_WhenOnlyShardTwosWindowSawADuplicateCharge_Fails_AndTheMergedSummarySaysSo()
    {
        // Shard 2 ran on after shard 1 had finished; an order charged twice then is in shard 2's simulator delta only.
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1], claims: ["duplicate_charges == 0"], extraFigures: new() { ["duplicate_charges"] = 0 });
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1], claims: ["duplicate_charges == 0"], extraFigures: new() { ["duplicate_charges"] = 1 });
        var outDir = Path.Combine(_dir, "merged-duplicate");

        var (code, stdout, stderr) = await CliRunner.RunAsync("merge", a, b, "--report-dir", outDir);

        Assert.True(code == ExitCodes.ClaimFailed, $"exit {code}\n{stdout}\n{stderr}");
        var merged = RunSummary.FromJson(await File.ReadAllTextAsync(Path.Combine(outDir, "summary.json")));
        Assert.Equal(1, Assert.Single(merged.Claims).Observed);
        Assert.Equal(1, merged.Extra["duplicateCharges"]!.GetValue<long>());
        Assert.Equal(1, merged.Extra["figures"]!["duplicate_charges"]!.GetValue<double>());
    }

    [Fact]
    public async Task Merge_WhenAShardHasNoMoneyConservedFigure_TheMergedOneIsUnknown_NotShardOnesTrue()
    {
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1], claims: ["money_conserved == true"], extraFigures: new() { ["money_conserved"] = 1 });
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1], claims: ["money_conserved == true"]);
        var outDir = Path.Combine(_dir, "merged-unknown");

        var (code, stdout, stderr) = await CliRunner.RunAsync("merge", a, b, "--report-dir", outDir);

        Assert.True(code == ExitCodes.ClaimFailed, $"exit {code}\n{stdout}\n{stderr}");
        var merged = RunSummary.FromJson(await File.ReadAllTextAsync(Path.Combine(outDir, "summary.json")));
        Assert.Null(Assert.Single(merged.Claims).Observed);
        Assert.Null(merged.Extra["moneyConserved"]);
        Assert.Null(merged.Extra["figures"]!["money_conserved"]);
    }

    [Fact]
    public async Task Merge_OfAMissingDirectory_ExitsTwoWithOneLine()
    {
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1]);

        await AssertBadInputAsync("no such directory", a, Path.Combine(_dir, "nope"));
    }

    [Fact]
    public async Task Merge_OfASummaryFileInsteadOfItsFolder_SaysItIsAFile()
    {
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1]);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1]);
        var file = Path.Combine(b, "summary.json");

        await AssertBadInputAsync($"error: merge: {file}: is a file; give the report folder it is in", a, file);
    }

    [Fact]
    public async Task Merge_OfAFolderWithoutASummary_ExitsTwoWithOneLine()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;

        await AssertBadInputAsync("no summary.json", empty);
    }

    [Fact]
    public async Task Merge_OfAFileThatIsNotASummary_ExitsTwoWithOneLine()
    {
        var junk = Directory.CreateDirectory(Path.Combine(_dir, "junk")).FullName;
        await File.WriteAllTextAsync(Path.Combine(junk, "summary.json"), "{ this is not json");

        await AssertBadInputAsync("not a run summary", junk);
    }

    [Fact]
    public async Task Merge_OfAnUnshardedSummary_ExitsTwoWithOneLine()
    {
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1], shardField: false);

        await AssertBadInputAsync("not a shard summary", a);
    }

    [Fact]
    public async Task Merge_OfShardsOfDifferentPlans_ExitsTwoWithOneLine()
    {
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1]);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1], plan: "other-plan");

        await AssertBadInputAsync("merge shards of one run only", a, b);
    }

    [Fact]
    public async Task Merge_OfTheSameShardIndexTwice_ExitsTwoWithOneLine()
    {
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1]);
        var b = await WriteShardAsync("b", 1, 2, [100], fail: 0, walletReplies: [1, 1]);

        await AssertBadInputAsync("given twice", a, b);
    }

    [Fact]
    public async Task Merge_WithAShardMissing_ExitsTwoWithOneLine()
    {
        var a = await WriteShardAsync("a", 1, 3, [100], fail: 0, walletReplies: [1, 1]);
        var c = await WriteShardAsync("c", 3, 3, [100], fail: 0, walletReplies: [1, 1]);

        await AssertBadInputAsync("shard(s) 2 of 3 missing", a, c);
    }

    [Fact]
    public async Task Merge_IntoOneOfTheShardFolders_IsRefusedBeforeWritingAnything()
    {
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1]);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1]);
        var before = await File.ReadAllTextAsync(Path.Combine(a, "summary.json"));

        var (code, _, err) = await CliRunner.RunAsync("merge", a, b, "--report-dir", a + "/");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith($"error: --report-dir: \"{a}/\" is one of the shard folders being merged", Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(a, "summary.json")));
    }

    [Theory]
    [InlineData("histogram", "scenarios[0].histogram: not a serialised latency histogram")]
    [InlineData("stepHistogram", "scenarios[0].steps[0].histogram: not a serialised latency histogram")]
    [InlineData("scenarios", "scenarios: must be an array, got null.")]
    [InlineData("scenario", "scenarios[0]: must be an object, got null.")]
    [InlineData("statusCodes", "scenarios[0].statusCodes: must be an object, got null.")]
    [InlineData("steps", "scenarios[0].steps[0]: must be an object, got null.")]
    [InlineData("claims", "claims: must be an array, got null.")]
    [InlineData("claim", "claims[0]: must be an object, got null.")]
    [InlineData("latency", "scenarios[0].latencyMs: must be an object, got null.")]
    [InlineData("negativeOk", "scenarios[0].ok: must be a count from 0 to 9007199254740991, got -5.")]
    [InlineData("hugeOk", "scenarios[0].ok: must be a count from 0 to 9007199254740991, got 9223372036854775807.")]
    [InlineData("negativeStepFail", "scenarios[0].steps[0].fail: must be a count from 0 to 9007199254740991, got -1.")]
    [InlineData("negativeStatus", "scenarios[0].statusCodes.200: must be a count from 0 to 9007199254740991, got -3.")]
    [InlineData("negativeDropped", "scenarios[0].dropped: must be a count from 0 to 9007199254740991, got -2.")]
    [InlineData("duration", "durationS: must be a number of seconds above 0, got -1.")]
    [InlineData("noScenarios", "scenarios: is empty; a run's summary has one entry per scenario of its plan.")]
    public async Task Merge_OfADamagedSummary_NamesTheFileAndTheField(string damage, string expected)
    {
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1]);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1]);
        var file = Path.Combine(b, "summary.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject();
        var scenario = json["scenarios"]![0]!.AsObject();
        switch (damage)
        {
            case "histogram": scenario["histogram"] = "AAAA"; break;
            case "stepHistogram": scenario["steps"]![0]!["histogram"] = "bm90IGEgaGlzdG9ncmFt"; break;
            case "scenarios": json["scenarios"] = null; break;
            case "scenario": json["scenarios"]![0] = null; break;
            case "statusCodes": scenario["statusCodes"] = null; break;
            case "steps": scenario["steps"] = new JsonArray((JsonNode?)null); break;
            case "claims": json["claims"] = null; break;
            case "claim": json["claims"]![0] = null; break;
            case "negativeOk": scenario["ok"] = -5; break;
            case "hugeOk": scenario["ok"] = long.MaxValue; break;
            case "negativeStepFail": scenario["steps"]![0]!["fail"] = -1; break;
            case "negativeStatus": scenario["statusCodes"]!["200"] = -3; break;
            case "negativeDropped": scenario["dropped"] = -2; break;
            case "duration": json["durationS"] = -1; break;
            case "noScenarios": json["scenarios"] = new JsonArray(); break;
            default: scenario["latencyMs"] = null; break;
        }

        await File.WriteAllTextAsync(file, json.ToJsonString());

        await AssertBadInputAsync($"error: merge: {file}: {expected}", a, b);
    }

    [Fact]
    public async Task Merge_OfASummaryWithADoubledField_NamesTheFile_InsteadOfReadingItTwice()
    {
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1]);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1]);
        var file = Path.Combine(b, "summary.json");
        var text = await File.ReadAllTextAsync(file);
        await File.WriteAllTextAsync(file, text.Replace("\"plan\": \"lb-fairness\"", "\"plan\": \"lb-fairness\", \"plan\": \"other\"", StringComparison.Ordinal));

        await AssertBadInputAsync($"error: merge: {file}: not a run summary (", a, b);
    }

    [Fact]
    public async Task Merge_OfASummaryThatCannotBeRead_IsOneLine_NotAnInternalError()
    {
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1]);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1]);
        var file = Path.Combine(b, "summary.json");
        File.Delete(file);
        File.CreateSymbolicLink(file, "/proc/self/mem");

        await AssertBadInputAsync($"error: merge: {file}: cannot be read (Input/output error", a, b);
    }

    [Theory]
    [InlineData("summary.json")]
    [InlineData("timeseries.csv")]
    [InlineData("timeseries-steps.csv")]
    public async Task Merge_OfAShardWhoseFileIsAPipe_IsRefusedAfterTheReadTimeout_InsteadOfHanging(string name)
    {
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1]);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1]);
        var fifo = Path.Combine(b, name);
        File.Delete(fifo);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        try
        {
            var ex = Assert.Throws<PaySim.LoadTests.Plans.PlanException>(() => PaySim.LoadTests.Sharding.ShardReader.ReadAll([a, b], TimeSpan.FromMilliseconds(300)));

            Assert.Equal($"merge: {fifo}: did not reach its end within 300ms (a pipe or a device?); give the report folder of `run --shard i/n`.", ex.Message);
        }
        finally
        {
            // Let the reader still blocked in open() finish: a writer comes and goes, the reader sees the end.
            await using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
            }
        }
    }

    [Fact]
    public async Task Merge_OfShardsWithDifferentSeeds_ExitsTwo_TheyAreNotOneRun()
    {
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1], seed: 42);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1], seed: 7);

        await AssertBadInputAsync($"error: merge: {b} ran with seed 7 but {a} with seed 42; shards of one run share its seed", a, b);
    }

    [Fact]
    public async Task Merge_OfShardsThatDidNotRunSideBySide_ExitsTwo_TheyAreNotOneRun()
    {
        // The audit's case: shard 2 ran after shard 1 had finished, saw none of the faults shard 1 played, and diluted
        // the merged success_rate into a pass.
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1]);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1]);
        foreach (var (folder, start) in new[] { (a, 0), (b, 15) })
        {
            var file = Path.Combine(folder, "summary.json");
            var json = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
            json["startedUtc"] = DateTimeOffset.UnixEpoch.AddSeconds(start).ToString("O");
            json["target"] = new JsonObject { ["kind"] = "external" };
            await File.WriteAllTextAsync(file, json.ToJsonString());
        }

        await AssertBadInputAsync(
            $"error: merge: {b} (shard 2/2) ran 1970-01-01 00:00:15Z to 1970-01-01 00:00:25Z but {a} (shard 1/2), which plays the plan's faults for every shard, ran 1970-01-01 00:00:00Z to 1970-01-01 00:00:10Z: they did not run side by side",
            a, b);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Merge_OfEmbeddedShardsOfAPlanWithFaults_ExitsTwo_NamingTheShard_AndSuggestsAnExternalTarget(bool planEventsField)
    {
        // Each embedded shard had its own cluster and only shard 1 played the faults: merged, shard 2's fault-free load
        // diluted the fault window into a pass. A shard written before shard.planEvents is judged by shard 1's faultTimeline.
        var timeline = new JsonArray(
            new JsonObject { ["what"] = "fault slow", ["atS"] = 0.0, ["error"] = null },
            new JsonObject { ["what"] = "fault slow ended", ["atS"] = 2.0, ["error"] = null },
            new JsonObject { ["what"] = "node issuer-2 down", ["atS"] = 0.5, ["error"] = null },
            new JsonObject { ["what"] = "node issuer-2 down ended", ["atS"] = 1.5, ["error"] = null });
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1], target: "embedded", faultTimeline: timeline, planEvents: planEventsField ? 2 : null);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1], target: "embedded", planEvents: planEventsField ? 2 : null);

        await AssertBadInputAsync(
            $"error: merge: {b} (shard 2/2) ran on its own embedded cluster, so it played none of the plan's 2 faults and events (shard 1 played them on its cluster only) and merged it would dilute the fault window into a pass; run every shard against one external target (--simulator-url, --wallet-url; docs/scale-out.md).",
            a, b);
    }

    [Theory]
    [InlineData("embedded", 0)]
    [InlineData("external", 2)]
    public async Task Merge_OfEmbeddedShardsOfAFaultFreePlan_OrExternalShardsOfAFaultPlan_StillMerges(string target, int planEvents)
    {
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1], target: target, planEvents: planEvents);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1], target: target, planEvents: planEvents);

        var (code, stdout, stderr) = await CliRunner.RunAsync("merge", a, b, "--report-dir", Path.Combine(_dir, "merged-" + target));

        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}\n{stdout}\n{stderr}");
    }

    [Fact]
    public async Task Merge_OfShardsWithDifferentScenarios_ExitsTwo()
    {
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1]);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1], scenarioName: "history");

        await AssertBadInputAsync($"error: merge: {b} has scenarios [history] but {a} has [payment]; shards of one plan run the same scenarios.", a, b);
    }

    [Theory]
    [InlineData("interrupted (Ctrl+C or SIGTERM) after 4.2s of 10s; faults and wallet events were reverted, the report covers what ran", "interrupted (Ctrl+C or SIGTERM) after 4.2s of 10s")]
    [InlineData(null, "interrupted")]
    public async Task Merge_WithAnInterruptedShard_GivesNoVerdict_ExitThree_NamingTheShard(string? shardReason, string how)
    {
        // Shard 2 of 3 was stopped by SIGTERM: its run gave no verdict (exit 130) and its counts stop short of the plan's,
        // so the merge gives none either (it exited 1 before, as if a claim had failed, without naming the shard).
        var a = await WriteShardAsync("a", 1, 3, [100], fail: 0, walletReplies: [1, 1]);
        var b = await WriteShardAsync("b", 2, 3, [100], fail: 0, walletReplies: [1, 1], aborted: true, abortReason: shardReason);
        var c = await WriteShardAsync("c", 3, 3, [100], fail: 0, walletReplies: [1, 1]);
        var outDir = Path.Combine(_dir, "merged-aborted");

        var (code, stdout, stderr) = await CliRunner.RunAsync("merge", a, b, c, "--report-dir", outDir);

        Assert.True(code == ExitCodes.NotCompleted, $"exit {code}\n{stdout}\n{stderr}");
        var reason = $"{NotAsWritten.Prefix}shard 2/3 was {how}; its counts stop short of the plan's";
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"merge failed, no verdict: {reason}; the merged report is in {Path.GetFullPath(outDir)}", line);
        Assert.Contains("no verdict", stdout, StringComparison.Ordinal);
        var merged = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal(reason, merged["abortReason"]!.GetValue<string>());
        Assert.NotEqual("pass", merged["verdict"]!.GetValue<string>());
    }

    [Fact]
    public async Task Merge_WithAShardWhosePlanDidNotRunAsWritten_GivesNoVerdict_ExitThree_NamingTheShardAndWhy()
    {
        // Shard 2's claims all held, but a wallet event of the plan failed on it: its run gave no verdict (exit 3), so the
        // merge of it must not give one either (it exited 1 before, as if a claim had failed).
        const string why = "\"wallet wallet-2 crash\" at 4s failed (exit 1: no such process); its claims were judged over a run without it";
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1]);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1], abortReason: NotAsWritten.Prefix + why);
        var outDir = Path.Combine(_dir, "merged-not-as-written");

        var (code, stdout, stderr) = await CliRunner.RunAsync("merge", a, b, "--report-dir", outDir);

        Assert.True(code == ExitCodes.NotCompleted, $"exit {code}\n{stdout}\n{stderr}");
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"merge failed, no verdict: {NotAsWritten.Prefix}shard 2/2: {why}; the merged report is in {Path.GetFullPath(outDir)}", line);
        Assert.Contains("no verdict", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("verdict: pass", stdout, StringComparison.Ordinal);
        var merged = RunSummary.FromJson(await File.ReadAllTextAsync(Path.Combine(outDir, "summary.json")));
        Assert.Equal($"{NotAsWritten.Prefix}shard 2/2: {why}", merged.AbortReason);
        Assert.False(merged.Passed);
    }

    [Fact]
    public async Task Merge_WithAShardAnAbortOnFailClaimStopped_FailsThatClaim_NamingTheShard()
    {
        // Shard 2 stopped its load when success_rate fell to 50% at 3s; its summary's counts (like shard 1's) are all ok,
        // so the merged figure alone reads 100%. The merged claim must still fail, saying which shard stopped and when.
        const string claim = "success_rate >= 99%";
        const string reason = "claim \"success_rate >= 99%\" failed at 3s (was 50%); the run stopped early (abortOnFail)";
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1], claims: [claim]);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1], claims: [claim], abortReason: reason,
            stoppedByClaim: new JsonObject { ["claim"] = claim, ["atS"] = 3.0, ["observed"] = "50%" });
        var outDir = Path.Combine(_dir, "merged-stopped");

        var (code, stdout, stderr) = await CliRunner.RunAsync("merge", a, b, "--report-dir", outDir);

        Assert.True(code == ExitCodes.ClaimFailed, $"exit {code}\n{stdout}\n{stderr}");
        var merged = RunSummary.FromJson(await File.ReadAllTextAsync(Path.Combine(outDir, "summary.json")));
        var judged = Assert.Single(merged.Claims);
        Assert.False(judged.Pass);
        Assert.Equal(1.0, judged.Observed);
        Assert.Contains("shard 2/2 stopped at 3s, was 50% (abortOnFail)", judged.Message, StringComparison.Ordinal);
        Assert.Equal($"shard 2/2: {reason}", merged.AbortReason);
        Assert.Equal(2, merged.Extra["stoppedByClaim"]!["shard"]!.GetValue<int>());
        Assert.Equal(claim, merged.Extra["stoppedByClaim"]!["claim"]!.GetValue<string>());
        Assert.DoesNotContain("run stopped early: claim", stdout, StringComparison.Ordinal);
        Assert.Equal("fail", merged.Verdict);
    }

    [Theory]
    [InlineData("\"oops\"")]
    [InlineData("5")]
    [InlineData("{}")]
    [InlineData("{ \"claim\": \"success_rate >= 99%\", \"atS\": \"abc\", \"observed\": \"50%\" }")]
    [InlineData("{ \"claim\": 7, \"atS\": 3, \"observed\": \"50%\" }")]
    public async Task Merge_OfAShardWithADamagedStoppedByClaim_IsRefusedNamingTheField(string stop)
    {
        // Copied into the merged summary as it was before (exit 1): a damaged field is refused like any other, nothing written.
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1]);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1], stoppedByClaim: new JsonObject { ["x"] = 1 });
        var file = Path.Combine(b, "summary.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        json["stoppedByClaim"] = JsonNode.Parse(stop);
        await File.WriteAllTextAsync(file, json.ToJsonString());
        var outDir = Path.Combine(_dir, "merged-damaged-stop");

        var (code, stdout, stderr) = await CliRunner.RunAsync("merge", a, b, "--report-dir", outDir);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith($"error: merge: {file}: stoppedByClaim: must be an object {{\"claim\": text, \"atS\": seconds, \"observed\": text}}", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(Directory.Exists(outDir), stdout);
    }

    [Theory]
    [InlineData("", "error: --report-dir: an empty path; give a folder (it is created if missing).")]
    [InlineData("long", "error: --report-dir: the folder name \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…\" is 300 bytes; a name is at most 255.")]
    public async Task Merge_IntoAPathThatCannotBeAFolder_IsOneLineAndExitTwo(string reportDir, string expected)
    {
        var a = await WriteShardAsync("a", 1, 2, [100], fail: 0, walletReplies: [1, 1]);
        var b = await WriteShardAsync("b", 2, 2, [100], fail: 0, walletReplies: [1, 1]);
        var target = reportDir == "long" ? Path.Combine(_dir, new string('a', 300)) : reportDir;

        var (code, stdout, stderr) = await CliRunner.RunAsync("merge", a, b, "--report-dir", target);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal(expected, Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Merge_WithNoFolder_ExitsTwoWithOneLine() =>
        await AssertBadInputAsync("no shard folder given");

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

    private async Task AssertBadInputAsync(string expected, params string[] folders)
    {
        var outDir = Path.Combine(_dir, "out-" + Guid.NewGuid().ToString("N"));
        var (code, _, err) = await CliRunner.RunAsync(["merge", .. folders, "--report-dir", outDir]);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData("file")]
    [InlineData("/proc/paysim-merged")]
    public async Task Merge_IntoAnUnusableFolder_IsOneLineAndExitTwo_WithoutAStackTrace(string target)
    {
        var a = await WriteShardAsync("a", 1, 2, [1000, 2000], fail: 0, walletReplies: [1, 1], claims: []);
        var b = await WriteShardAsync("b", 2, 2, [3000], fail: 0, walletReplies: [1, 1], claims: []);
        var outDir = target == "file" ? Path.Combine(_dir, "a-file") : target;
        if (target == "file")
        {
            await File.WriteAllTextAsync(outDir, "not a folder");
        }

        var (code, stdout, stderr) = await CliRunner.RunAsync("merge", a, b, "--report-dir", outDir);

        Assert.Equal(ExitCodes.BadInput, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: --report-dir: \"{outDir}\" is ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", line, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    private async Task<string> WriteShardAsync(
        string name, int index, int count, long[] okValues, int fail, long[] walletReplies,
        string plan = "lb-fairness", bool shardField = true, string[]? claims = null, Dictionary<string, double>? extraFigures = null,
        IReadOnlyList<TimeSeriesPoint>? series = null, JsonArray? faultTimeline = null, int? seed = null, string scenarioName = "payment",
        bool aborted = false, string? abortReason = null, string? target = null, int? planEvents = null, JsonObject? stoppedByClaim = null)
    {
        var histogram = HistogramCodec.CreateHistogram();
        foreach (var v in okValues)
        {
            histogram.RecordValue(v);
        }

        // The engine records failed iterations in the histogram too: the histogram holds every value.
        var okCount = okValues.Length - fail;
        StepSummary Stats(StepSummary s)
        {
            s.Ok = okCount;
            s.Fail = fail;
            s.DurationS = 10;
            s.Rps = okValues.Length / 10.0;
            s.StatusCodes = new Dictionary<string, long> { ["200"] = okCount, ["503"] = fail };
            s.HistogramObject = histogram;
            s.Histogram = HistogramCodec.Encode(histogram);
            s.LatencyMs = LatencySummary.FromHistogram(histogram);
            return s;
        }

        var scenario = (ScenarioSummary)Stats(new ScenarioSummary { Name = scenarioName });
        scenario.Steps.Add(Stats(new StepSummary { Name = "pay" }));
        var summary = new RunSummary { Plan = plan, StartedUtc = DateTimeOffset.UnixEpoch, DurationS = 10, Scenarios = [scenario], Command = $"paysim run --plan {plan} --shard {index}/{count} --seed 42", AbortReason = abortReason };
        if (shardField)
        {
            summary.Extra["shard"] = new JsonObject { ["index"] = index, ["count"] = count };
            if (planEvents is not null)
            {
                summary.Extra["shard"]!["planEvents"] = planEvents;
            }
        }

        if (target is not null)
        {
            summary.Extra["target"] = new JsonObject { ["kind"] = target };
        }

        summary.Extra["rate"] = 30.0 / count;
        if (seed is not null)
        {
            summary.Extra["seed"] = seed;
        }

        if (aborted)
        {
            summary.Extra["aborted"] = true;
        }

        if (stoppedByClaim is not null)
        {
            summary.Extra["stoppedByClaim"] = stoppedByClaim;
        }

        summary.Extra["walletInstances"] = new JsonArray(walletReplies.Select((r, i) => (JsonNode?)new JsonObject { ["name"] = $"wallet-{i + 1}", ["replies"] = r }).ToArray());
        summary.Extra["fairness"] = new JsonObject { ["jain"] = 0.99, ["walletJain"] = 0.5 };
        summary.Extra["walletCalls"] = new JsonObject { ["pay"] = okValues.Length };
        summary.Extra["bindings"] = new JsonObject { ["attempts"] = 3 * index, ["bound"] = 3 * index, ["resends"] = 2 * index, ["boundAfterResend"] = index, ["byCause"] = new JsonObject { ["bound"] = 3 * index } };
        // Both shards' simulator deltas saw the same duplicates; summed they would count them twice.
        var figures = new JsonObject { ["duplicate_charges"] = 2, ["issuer_jain_fairness"] = 0.99, ["retry_amplification"] = 1.0 };
        foreach (var (key, value) in extraFigures ?? [])
        {
            figures[key] = value;
        }

        summary.Extra["figures"] = figures;
        if (faultTimeline is not null)
        {
            summary.Extra["faultTimeline"] = faultTimeline;
        }
        foreach (var c in claims ?? ["wallet_jain_fairness >= 0.95"])
        {
            summary.AddClaim(new ClaimResult { Name = c, Expression = c, Pass = true, Observed = 0, ObservedText = "0" });
        }

        var folder = Path.Combine(_dir, name);
        await ReportWriter.WriteAsync(folder, summary, series ?? []);
        return folder;
    }
}

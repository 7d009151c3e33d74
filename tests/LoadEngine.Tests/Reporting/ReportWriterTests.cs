using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace PaySim.LoadEngine.Tests.Reporting;

public sealed class ReportWriterTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "paysim-report-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static async Task<RunResult> RunSmallAsync()
    {
        var scenario = Scenario.Create("pay", async ctx =>
            {
                var r = await Step.Run("authorize", ctx, () => Task.FromResult(ctx.InvocationNumber % 5 == 0 ? Response.Fail("UNAVAILABLE") : Response.Ok("00", 120)));
                return r;
            })
            .WithThresholds("ok_rate >= 70%", "p99 < 1ms", "step:authorize p95 < 5s")
            .WithLoadSimulations(LoadSimulation.Inject(40, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
        return await LoadTestRunner.RegisterScenarios(scenario).WithPlanName("smoke").WithProgress(false).RunAsync();
    }

    [Fact]
    public async Task WriteAsync_WritesAllFiveFiles_WithTheSharedSummaryFields()
    {
        var result = await RunSmallAsync();
        result.Summary.AddClaim("no duplicate charges", "duplicate_charges == 0", key => key == "duplicate_charges" ? 0 : null);
        result.Summary.Extra["fairness"] = new JsonObject { ["jain"] = 0.98 };
        result.Summary.Extra["duplicateCharges"] = 0;

        await ReportWriter.WriteAsync(_folder, result.Summary, result.TimeSeries);

        foreach (var file in new[] { "summary.json", "report.md", "report.html", "junit.xml", "timeseries.csv" })
        {
            Assert.True(File.Exists(Path.Combine(_folder, file)), file);
        }

        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, "summary.json")))!.AsObject();
        Assert.Equal("smoke", (string?)json["plan"]);
        Assert.Equal("fail", (string?)json["verdict"]);
        Assert.Equal(0.98, (double?)json["fairness"]!["jain"]);
        Assert.Equal(0, (int?)json["duplicateCharges"]);
        var claims = json["claims"]!.AsArray();
        Assert.Equal(4, claims.Count);
        Assert.All(claims, c => Assert.NotNull(c!["name"]));
        Assert.Contains(claims, c => (string?)c!["expression"] == "duplicate_charges == 0" && (bool?)c["pass"] == true && (double?)c["observed"] == 0);
        var scenario = json["scenarios"]![0]!;
        Assert.Equal("pay", (string?)scenario["name"]);
        Assert.InRange((long)scenario["ok"]!, 60, 66);
        Assert.InRange((long)scenario["fail"]!, 15, 17);
        Assert.NotNull(scenario["rps"]);
        Assert.Equal(0, (long)scenario["dropped"]!);
        foreach (var field in new[] { "p50", "p75", "p90", "p95", "p99", "p999", "max", "mean" })
        {
            Assert.NotNull(scenario["latencyMs"]![field]);
        }

        Assert.Equal(16, (long)scenario["statusCodes"]!["UNAVAILABLE"]!);
        Assert.Equal(64 * 120, (long)scenario["bytes"]!);
        Assert.Equal(80, HistogramCodec.Decode((string)scenario["histogram"]!).TotalCount);
        var step = scenario["steps"]![0]!;
        Assert.Equal("authorize", (string?)step["name"]);
        Assert.NotNull(step["latencyMs"]!["p999"]);

        var roundTrip = RunSummary.FromJson(await File.ReadAllTextAsync(Path.Combine(_folder, "summary.json")));
        Assert.Equal(80, roundTrip.Scenarios[0].HistogramObject!.TotalCount);
        Assert.True(roundTrip.Extra.ContainsKey("fairness"));
    }

    [Fact]
    public async Task Junit_HasOneTestCasePerThresholdAndClaim()
    {
        var result = await RunSmallAsync();
        result.Summary.AddClaim("fair", "jain_fairness >= 0.95", _ => 0.5);

        await ReportWriter.WriteAsync(_folder, result.Summary, result.TimeSeries);
        var doc = XDocument.Load(Path.Combine(_folder, "junit.xml"));
        var cases = doc.Descendants("testcase").ToList();

        Assert.Equal(4, cases.Count);
        Assert.Equal(["pay: ok_rate >= 70%", "pay: p99 < 1ms", "pay: step:authorize p95 < 5s", "fair"], cases.Select(c => (string)c.Attribute("name")!));
        Assert.Equal(2, cases.Count(c => c.Element("failure") is not null));
        Assert.Equal("2", (string?)doc.Descendants("testsuite").Single().Attribute("failures"));
    }

    [Fact]
    public async Task Html_IsSelfContained_WithChartsAndTheAddedClaims()
    {
        var result = await RunSmallAsync();
        result.Summary.AddClaim("no duplicate charges", "duplicate_charges == 0", _ => 0);

        await ReportWriter.WriteAsync(_folder, result.Summary, result.TimeSeries);
        var html = await File.ReadAllTextAsync(Path.Combine(_folder, "report.html"));
        var md = await File.ReadAllTextAsync(Path.Combine(_folder, "report.md"));

        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
        Assert.Contains("no duplicate charges", html, StringComparison.Ordinal);
        Assert.Contains("no duplicate charges", md, StringComparison.Ordinal);
        Assert.Contains("authorize", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimeSeries_HasOneRowPerScenarioSecond_InCsvAndSink()
    {
        var sinkPath = Path.Combine(_folder, "live.csv");
        Directory.CreateDirectory(_folder);
        using var sink = new CsvReportingSink(sinkPath);
        var scenario = Scenario.Create("tick", _ => Task.FromResult(Response.Ok()))
            .WithLoadSimulations(LoadSimulation.Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));

        var result = await LoadTestRunner.RegisterScenarios(scenario).WithReportingSinks(sink).WithReportFolder(_folder).WithProgress(false).RunAsync();

        Assert.Equal(20, result.TimeSeries.Sum(p => p.Ok));
        Assert.InRange(result.TimeSeries.Count, 2, 3);
        var csv = await File.ReadAllLinesAsync(Path.Combine(_folder, "timeseries.csv"));
        Assert.Equal("second,elapsed_s,scenario,requests,ok,fail,dropped,rps,p50_ms,p99_ms,concurrency", csv[0]);
        Assert.Equal(result.TimeSeries.Count + 1, csv.Length);
        sink.Dispose();
        Assert.Equal(csv, await File.ReadAllLinesAsync(sinkPath));
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
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
    public async Task Junit_OfAnInterruptedRun_HasAnErrorCase_SoCiDoesNotShowItGreen()
    {
        var result = await RunSmallAsync();
        result.Summary.AbortReason = "interrupted (Ctrl+C or SIGTERM) after 4s";

        await ReportWriter.WriteAsync(_folder, result.Summary, result.TimeSeries);
        var doc = XDocument.Load(Path.Combine(_folder, "junit.xml"));
        var suite = doc.Descendants("testsuite").Single();

        Assert.Equal("4", (string?)suite.Attribute("tests"));
        Assert.Equal("1", (string?)suite.Attribute("errors"));
        var error = doc.Descendants("testcase").Single(c => (string?)c.Attribute("name") == "run completed").Element("error");
        Assert.Equal("interrupted (Ctrl+C or SIGTERM) after 4s", (string?)error!.Attribute("message"));
    }

    [Fact]
    public async Task Junit_NamesEachClaimByItsRule_SoTwoClaimsOnOneMetricAreTwoTests()
    {
        var result = await RunSmallAsync();
        result.Summary.AddClaim("success_rate", "success_rate >= 50%", _ => 0.9);
        result.Summary.AddClaim("success_rate", "success_rate <= 100%", _ => 0.9);
        result.Summary.AddClaim("fair", "jain_fairness >= 0.95", _ => 0.99);
        result.Summary.AddClaim("fair", "jain_fairness >= 0.95", _ => 0.99);

        await ReportWriter.WriteAsync(_folder, result.Summary, result.TimeSeries);
        var names = XDocument.Load(Path.Combine(_folder, "junit.xml")).Descendants("testcase")
            .Where(c => (string?)c.Attribute("classname") == "smoke.claims").Select(c => (string)c.Attribute("name")!).ToArray();

        Assert.Equal(["success_rate >= 50%", "success_rate <= 100%", "fair", "fair (2)"], names);
    }

    [Fact]
    public async Task Html_IsSelfContained_WithChartsAndTheAddedClaims()
    {
        var result = await RunSmallAsync();
        result.Summary.AddClaim("no duplicate charges", "duplicate_charges == 0", _ => 0);

        await ReportWriter.WriteAsync(_folder, result.Summary, result.TimeSeries);
        var html = await File.ReadAllTextAsync(Path.Combine(_folder, "report.html"));
        var md = await File.ReadAllTextAsync(Path.Combine(_folder, "report.md"));

        // Rate, latency by scenario, latency by step of pay, errors, concurrency.
        Assert.Equal(["rate", "latency", "latency-steps:pay", "errors", "concurrency"], Regex.Matches(html, "data-chart=\"([^\"]*)\"").Select(m => m.Groups[1].Value));
        Assert.Equal(5, Regex.Count(html, "<svg xmlns="));
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
        Assert.Contains("no duplicate charges", html, StringComparison.Ordinal);
        Assert.Contains("no duplicate charges", md, StringComparison.Ordinal);
        Assert.Contains("authorize", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Html_ChartsHoldOnePointPerMeasuredSecondOfTheRun_PlacedByItsValue()
    {
        var result = await RunSmallAsync();
        await ReportWriter.WriteAsync(_folder, result.Summary, result.TimeSeries);
        var html = await File.ReadAllTextAsync(Path.Combine(_folder, "report.html"));
        var seconds = result.TimeSeries.Where(p => p.Scenario == "pay").OrderBy(p => p.Second).ToArray();
        Assert.True(seconds.Length >= 2, $"{seconds.Length} seconds in the series");
        Assert.All(seconds, p => Assert.True(p.Requests > 0, $"second {p.Second} completed nothing"));

        var rate = Lines(html, "rate");
        var latency = Lines(html, "latency");
        var errors = Lines(html, "errors");
        var concurrency = Lines(html, "concurrency")["pay"];

        // One point per second of the run, on every line of every chart (every second here completed iterations).
        foreach (var line in new[] { rate["pay achieved"], rate["pay target"], latency["pay p99"], latency["pay p50"], errors["pay fail"], errors["pay dropped"], concurrency })
        {
            Assert.Equal(seconds.Length, line.Count);
        }

        // x: the second, left to right across the plot (x = 64 + second / run length × 880).
        var last = Math.Max(result.Summary.DurationS, seconds[^1].Second);
        Assert.Equal(seconds.Select(p => 64 + (p.Second * 880.0 / last)), rate["pay achieved"].Select(p => p.X), new Tolerance(0.06));
        // y: height above the baseline (y = 232) in proportion to the value, the tallest inside the plot (y >= 16).
        AssertHeightsFollow(seconds.Select(p => p.Rps).ToArray(), rate["pay achieved"]);
        AssertHeightsFollow(seconds.Select(p => (double)p.Fail).ToArray(), errors["pay fail"]);
        AssertHeightsFollow(seconds.Select(p => p.P99Ms).ToArray(), latency["pay p99"]);
        Assert.Equal(16, seconds.Sum(p => p.Fail));
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
        Assert.Equal("second,elapsed_s,scenario,requests,ok,fail,dropped,rps,p50_ms,p99_ms,concurrency,target_rps,max_start_lag_ms", csv[0]);
        Assert.Equal(result.TimeSeries.Count + 1, csv.Length);
        Assert.All(csv.Skip(1), row => Assert.Matches(",[0-9.]+$", row));
        sink.Dispose();
        Assert.Equal(csv, await File.ReadAllLinesAsync(sinkPath));
    }

    /// <summary>The lines of one chart of report.html (by its data-chart id), each series' vertices in SVG units.</summary>
    private static Dictionary<string, List<(double X, double Y)>> Lines(string html, string chart)
    {
        var figure = Regex.Match(html, "<figure class=\"chart\" data-chart=\"" + Regex.Escape(chart) + "\"(.*?)</figure>");
        Assert.True(figure.Success, $"no chart '{chart}'");
        return Regex.Matches(figure.Groups[1].Value, "<g class=\"series\" data-series=\"([^\"]*)\"(.*?)</g>")
            .ToDictionary(
                m => m.Groups[1].Value,
                m => Regex.Matches(m.Groups[2].Value, "<polyline [^>]* points=\"([^\"]*)\"").SelectMany(p => p.Groups[1].Value.Split(' ')).Select(Point)
                    .Concat(Regex.Matches(m.Groups[2].Value, "<circle cx=\"([^\"]*)\" cy=\"([^\"]*)\"").Select(c => Point(c.Groups[1].Value + "," + c.Groups[2].Value)))
                    .OrderBy(p => p.X)
                    .ToList());
    }

    private static (double X, double Y) Point(string pair)
    {
        var xy = pair.Split(',');
        return (double.Parse(xy[0], CultureInfo.InvariantCulture), double.Parse(xy[1], CultureInfo.InvariantCulture));
    }

    private static void AssertHeightsFollow(double[] values, List<(double X, double Y)> line)
    {
        const double Baseline = 232;
        var heights = line.Select(p => Baseline - p.Y).ToArray();
        Assert.All(heights, h => Assert.InRange(h, 0, Baseline - 16));
        var top = values.Max();
        var topHeight = heights.Max();
        Assert.True(top == 0 ? topHeight == 0 : topHeight > 0, $"tallest point {topHeight} for a largest value of {top}");
        for (var i = 0; i < values.Length; i++)
        {
            // Coordinates are rounded to 0.1, so proportions hold to within a fraction of a unit.
            Assert.Equal(top == 0 ? 0 : values[i] / top * topHeight, heights[i], new Tolerance(0.15));
        }
    }

    private sealed class Tolerance(double within) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= within;

        public int GetHashCode(double obj) => 0;
    }
}

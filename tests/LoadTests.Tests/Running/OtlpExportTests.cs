using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Running;
using PaySim.LoadTests.Tests.EndToEnd;
using PaySim.LoadTests.Tests.Cli;
using PaySim.LoadTests.Tests.Support;

namespace PaySim.LoadTests.Tests.Running;

/// <summary>
/// --otlp: a real run pushes the engine's per-second figures to an OTLP/HTTP receiver (an in-process
/// Kestrel on port 0 standing in for an OpenTelemetry collector) while it runs, protobuf-encoded.
/// </summary>
[Collection(EndToEndSecondLane.Name)]
public sealed class OtlpExportTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> _posts = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-otlp-").FullName;
    private WebApplication? _collector;
    private Uri? _uri;
    private volatile int _status = 200;

    public async Task InitializeAsync()
    {
        _collector = await FakeHttpServer.StartAsync(server =>
        {
            server.Run(async ctx =>
            {
                using var body = new MemoryStream();
                await ctx.Request.Body.CopyToAsync(body);
                _posts.Enqueue((ctx.Request.Path, ctx.Request.ContentType, body.ToArray()));
                ctx.Response.ContentType = "application/x-protobuf";
                ctx.Response.StatusCode = _status;
            });
        });
        _uri = FakeHttpServer.UriOf(_collector);
    }

    public async Task DisposeAsync()
    {
        await _collector!.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_run_with_otlp_pushes_its_per_second_figures_as_OTLP_protobuf()
    {
        var report = Path.Combine(_dir, "report");

        var (code, stdout, err) = await CliRunner.RunAsync(
            "run", "--plan", "smoke", "--duration", "4s", "--no-progress", "--report-dir", report, "--otlp", _uri!.ToString());

        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}: {stdout} {err}");
        var posts = _posts.ToArray();
        Assert.True(posts.Length >= 2, $"{posts.Length} export(s): one per second while the run lasts and a last one at its end");
        Assert.All(posts, p => Assert.Equal("/v1/metrics", p.Path));
        Assert.All(posts, p => Assert.Equal("application/x-protobuf", p.ContentType));
        var bytes = Encoding.UTF8.GetString(posts.SelectMany(p => p.Body).ToArray());
        foreach (var expected in new[] { "loadengine.iterations.ok", "loadengine.latency.p99", "loadengine.rps", "scenario", "journey", "service.name", "paysim-loadtests", "paysim.plan", "smoke" })
        {
            Assert.Contains(expected, bytes, StringComparison.Ordinal);
        }

        Assert.True(File.Exists(Path.Combine(report, "summary.json")), "the run's own files are still written");
    }

    [Fact]
    public async Task Every_counted_request_is_on_cumulative_exponential_histograms_that_match_the_report()
    {
        var report = Path.Combine(_dir, "report");
        var raw = Path.Combine(_dir, "requests.json");

        var (code, stdout, err) = await CliRunner.RunAsync(
            "run", "--plan", "smoke", "--duration", "4s", "--no-progress", "--report-dir", report, "--otlp", _uri!.ToString(), "--out", "json=" + raw);

        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}: {stdout} {err}");
        var exports = _posts.Select(p => OtlpMetricsDecoder.ExponentialHistograms(p.Body)).Where(p => p.Count > 0).ToArray();
        Assert.True(exports.Length >= 2, $"{exports.Length} export(s) with histograms");
        // Cumulative: the last export (by its points' time) holds every request of the run.
        var last = exports.MaxBy(e => e.Max(p => p.TimeUnixNano))!;
        Assert.Equal([OtlpExport.IterationDuration, OtlpExport.StepDuration], last.Select(p => p.Metric).Distinct().Order(StringComparer.Ordinal));
        Assert.All(last, p =>
        {
            Assert.Equal("ms", p.Unit);
            Assert.Equal(OtlpMetricsDecoder.Cumulative, p.Temporality);
            Assert.Equal(p.Count, p.ZeroCount + p.PositiveBucketCounts.Aggregate(0UL, (a, b) => a + b));
            Assert.True(p.Sum > 0, $"{p.Metric} sum {p.Sum}");
            Assert.Contains(p.Attributes["ok"], new[] { "true", "false" });
        });

        var summary = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(report, "summary.json")))!;
        var scenarios = summary["scenarios"]!.AsArray();
        Assert.NotEmpty(scenarios);
        var stepsChecked = 0;
        foreach (var scenario in scenarios)
        {
            var name = scenario!["name"]!.GetValue<string>();
            var iterations = last.Where(p => p.Metric == OtlpExport.IterationDuration && p.Attributes["scenario"] == name).ToArray();
            Assert.All(iterations, p => Assert.False(p.Attributes.ContainsKey("step")));
            AssertMatches($"scenario {name}", scenario, iterations);
            foreach (var step in scenario["steps"]!.AsArray())
            {
                var stepName = step!["name"]!.GetValue<string>();
                var points = last.Where(p => p.Metric == OtlpExport.StepDuration && p.Attributes["scenario"] == name && p.Attributes["step"] == stepName).ToArray();
                AssertMatches($"step {name}/{stepName}", step, points);
                stepsChecked++;
            }

            var reported = scenario["steps"]!.AsArray().Select(x => x!["name"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            Assert.All(last.Where(p => p.Metric == OtlpExport.StepDuration && p.Attributes["scenario"] == name), p => Assert.Contains(p.Attributes["step"], reported));
        }

        Assert.True(stepsChecked >= 2, $"{stepsChecked} step(s) in the report");

        // With --out json as well, both observers saw every request: one step_duration line per counted step (the file
        // writes sms_wait, not a wallet call, as sms_wait_duration; OTLP keeps it among the steps).
        var stepLines = (await File.ReadAllLinesAsync(raw)).Count(l => l.Contains("\"type\":\"Point\"", StringComparison.Ordinal)
            && (l.EndsWith("\"metric\":\"step_duration\"}", StringComparison.Ordinal) || l.EndsWith("\"metric\":\"sms_wait_duration\"}", StringComparison.Ordinal)));
        Assert.Equal(last.Where(p => p.Metric == OtlpExport.StepDuration).Aggregate(0UL, (a, p) => a + p.Count), (ulong)stepLines);
    }

    // The points of one scenario or step (one per ok/status) add up to the report's ok+fail, split as its statusCodes,
    // and their sum is the report's mean latency times the count, within 5% (the report's mean is its HdrHistogram's).
    private static void AssertMatches(string what, JsonNode reported, OtlpExponentialPoint[] points)
    {
        var ok = reported["ok"]!.GetValue<long>();
        var fail = reported["fail"]!.GetValue<long>();
        Assert.True(ok + fail > 0, $"{what}: nothing counted");
        var count = points.Aggregate(0UL, (a, p) => a + p.Count);
        Assert.True((ulong)(ok + fail) == count, $"{what}: the report counted {ok}+{fail}, the histogram {count}");
        Assert.Equal((ulong)ok, points.Where(p => p.Attributes["ok"] == "true").Aggregate(0UL, (a, p) => a + p.Count));
        var codes = reported["statusCodes"]!.AsObject().ToDictionary(kv => kv.Key, kv => (ulong)kv.Value!.GetValue<long>(), StringComparer.Ordinal);
        var byStatus = points.GroupBy(p => p.Attributes["status"], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Aggregate(0UL, (a, p) => a + p.Count), StringComparer.Ordinal);
        Assert.Equal(codes, byStatus);
        var sum = points.Sum(p => p.Sum);
        var expected = reported["latencyMs"]!["mean"]!.GetValue<double>() * (ok + fail);
        Assert.True(sum > 0 && Math.Abs(sum - expected) <= expected * 0.05, $"{what}: histogram sum {sum} ms, the report's mean × count {expected} ms");
    }

    [Fact]
    public async Task A_url_that_already_ends_in_v1_metrics_is_posted_to_as_it_is()
    {
        var report = Path.Combine(_dir, "report");

        var (code, stdout, err) = await CliRunner.RunAsync(
            "run", "--plan", "smoke", "--duration", "2s", "--no-progress", "--report-dir", report, "--otlp", new Uri(_uri!, "/v1/metrics").ToString());

        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}: {stdout} {err}");
        Assert.NotEmpty(_posts);
        Assert.All(_posts, p => Assert.Equal("/v1/metrics", p.Path));
        Assert.DoesNotContain("--otlp", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_collector_that_refuses_the_exports_is_a_warning_on_screen_and_in_the_summary()
    {
        _status = 404;
        var report = Path.Combine(_dir, "report");

        var (code, stdout, err) = await CliRunner.RunAsync(
            "run", "--plan", "smoke", "--duration", "2s", "--no-progress", "--report-dir", report, "--otlp", _uri!.ToString());

        Assert.True(code == ExitCodes.AllClaimsHold, $"the verdict is the report's, not the dashboard's: exit {code}: {stdout} {err}");
        Assert.NotEmpty(_posts);
        var expected = $"--otlp: the collector at {new Uri(_uri, "/v1/metrics")} did not take every export (";
        Assert.Contains("warning: " + expected, stdout + err, StringComparison.Ordinal);
        var warnings = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(report, "summary.json")))!["warnings"]!.AsArray();
        Assert.Contains(warnings, w => w!.GetValue<string>().StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_collector_at_all_is_a_warning_naming_the_url()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var report = Path.Combine(_dir, "report");

        var (code, stdout, err) = await CliRunner.RunAsync(
            "run", "--plan", "smoke", "--duration", "2s", "--no-progress", "--report-dir", report, "--otlp", $"http://127.0.0.1:{port}");

        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}: {stdout} {err}");
        Assert.Contains($"warning: --otlp: the collector at http://127.0.0.1:{port}/v1/metrics did not take every export (", stdout + err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("grpc://127.0.0.1:4317")]
    public async Task A_bad_otlp_url_is_one_line_and_exit_2(string value)
    {
        var (code, _, err) = await CliRunner.RunAsync("run", "--no-progress", "--report-dir", Path.Combine(_dir, "r"), "--otlp", value);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: --otlp: ", Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "r")));
    }
}

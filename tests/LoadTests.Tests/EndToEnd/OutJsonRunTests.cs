using System.Text.Json.Nodes;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Reporting;
using PaySim.LoadTests.Tests.Reporting;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// <c>run --out json=PATH</c> on a short smoke run: the file is k6's JSON lines and holds every request the report counts,
/// with the latencies and status codes the report has.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class OutJsonRunTests
{
    [Fact]
    public async Task Run_WithOutJson_WritesEveryCountedRequestAsK6Points()
    {
        var file = Path.Combine(Path.GetTempPath(), $"paysim-out-{Guid.NewGuid():N}.json");
        var run = await ShortRun.RunForAsync("smoke", "5s", "--out", "json=" + file);
        try
        {
            AssertFileMatchesReport(run, file, gzip: false);
        }
        finally
        {
            run.Delete();
            File.Delete(file);
        }
    }

    /// <summary>Checks the file against the run's summary.json: counts, tags, latencies, and the closing line.</summary>
    internal static void AssertFileMatchesReport(ShortRun run, string file, bool gzip)
    {
        Assert.True(run.ExitCode is ExitCodes.AllClaimsHold or ExitCodes.ClaimFailed, run.Describe());
        var read = K6JsonLines.Read(file);
        var written = run.Summary["out"]!.AsObject();
        var dropped = written["dropped"]!.GetValue<long>();
        Assert.Equal(Path.GetFullPath(file), written["path"]!.GetValue<string>());
        Assert.Equal(gzip, written["gzip"]!.GetValue<bool>());
        Assert.Equal(read.Points.Count, written["points"]!.GetValue<long>());
        Assert.Contains($"out: {read.Points.Count} points of {read.Points.Count / 2} requests written to {file} ({(gzip ? "gzip-compressed " : string.Empty)}k6 JSON lines), {dropped} dropped", run.Out, StringComparison.Ordinal);

        var scenarios = run.Summary["scenarios"]!.AsArray().Select(s => s!.AsObject()).ToArray();
        var steps = scenarios.SelectMany(s => s["steps"]!.AsArray().Select(step => (Scenario: s["name"]!.GetValue<string>(), Step: step!.AsObject()))).ToArray();
        long Requests(JsonObject o) => o["ok"]!.GetValue<long>() + o["fail"]!.GetValue<long>();
        var reportRequests = scenarios.Sum(Requests) + steps.Sum(s => Requests(s.Step));
        Assert.True(reportRequests > 20, $"a 5 s smoke run at 5/s times more than 20 requests: {reportRequests}");

        // sms_wait (not a wallet call) has its own metrics: step_reqs counts wallet requests only.
        var walletPoints = read.Of(JsonLinesOutput.StepDuration).ToArray();
        var smsPoints = read.Of(JsonLinesOutput.SmsWaitDuration).ToArray();
        Assert.DoesNotContain(walletPoints, p => p.Tags["step"] == "sms_wait");
        Assert.All(smsPoints, p => Assert.Equal("sms_wait", p.Tags["step"]));
        Assert.Equal(smsPoints.Length, read.Of(JsonLinesOutput.SmsWaits).Count());
        var stepPoints = walletPoints.Concat(smsPoints).ToArray();
        var iterationPoints = read.Of(JsonLinesOutput.IterationDuration).ToArray();
        Assert.Equal(reportRequests - dropped, stepPoints.Length + iterationPoints.Length);
        Assert.Equal(walletPoints.Length, read.Of(JsonLinesOutput.StepRequests).Count());
        Assert.Equal(iterationPoints.Length, read.Of(JsonLinesOutput.Iterations).Count());
        Assert.All(read.Of(JsonLinesOutput.StepRequests).Concat(read.Of(JsonLinesOutput.Iterations)).Concat(read.Of(JsonLinesOutput.SmsWaits)), p => Assert.Equal(1, p.Value));
        Assert.Equal("time", read.Metrics[JsonLinesOutput.StepDuration]["contains"]!.GetValue<string>());

        // The tags name the plan's scenarios and steps, and nothing else.
        Assert.Equal(scenarios.Select(s => s["name"]!.GetValue<string>()).Order(StringComparer.Ordinal), read.Points.Select(p => p.Tags["scenario"]).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(steps.Where(s => Requests(s.Step) > 0).Select(s => s.Step["name"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal), stepPoints.Select(p => p.Tags["step"]).Distinct().Order(StringComparer.Ordinal));
        if (dropped > 0)
        {
            return; // the per-step figures below hold only when every request was written
        }

        foreach (var (scenario, step) in steps)
        {
            var name = step["name"]!.GetValue<string>();
            var points = stepPoints.Where(p => p.Tags["scenario"] == scenario && p.Tags["step"] == name).ToArray();
            Assert.Equal(Requests(step), points.Length);
            Assert.Equal(step["ok"]!.GetValue<long>(), points.Count(p => p.Tags["ok"] == "true"));
            var codes = step["statusCodes"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<long>(), StringComparer.Ordinal);
            Assert.Equal(codes, points.GroupBy(p => p.Tags["status"], StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal));

            // The same latencies as the report's histogram (within its 0.1% precision and the report's rounding).
            var max = step["latencyMs"]!["max"]!.GetValue<double>();
            Assert.Equal(max, points.Max(p => p.Value), tolerance: max * 0.002 + 0.01);
            var mean = step["latencyMs"]!["mean"]!.GetValue<double>();
            Assert.Equal(mean, points.Average(p => p.Value), tolerance: mean * 0.01 + 0.01);
        }

        foreach (var s in scenarios)
        {
            Assert.Equal(Requests(s), iterationPoints.Count(p => p.Tags["scenario"] == s["name"]!.GetValue<string>()));
        }

        // Points carry when each request ended: within the run.
        var started = DateTimeOffset.Parse(run.Summary["startedUtc"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(read.Points, p => Assert.InRange(p.Time, started, started.AddSeconds(run.Summary["durationS"]!.GetValue<double>() + 1)));
    }
}

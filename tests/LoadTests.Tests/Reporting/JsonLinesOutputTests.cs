using System.IO.Compression;
using PaySim.LoadEngine;
using PaySim.LoadTests.Reporting;

namespace PaySim.LoadTests.Tests.Reporting;

public sealed class JsonLinesOutputTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 22, 1, 25, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-out-").FullName;

    [Fact]
    public async Task Writes_K6sMetricAndPointLines_MetricFirst_TwoPointsARequest()
    {
        var path = Path.Combine(_dir, "r.json");
        var output = new JsonLinesOutput(new OutTarget(path, Gzip: false));
        output.Start();
        output.OnRequest(new RequestSample("pay", "pay", true, "200", 12_345, At.AddTicks(1_234_567)));
        output.OnRequest(new RequestSample("pay", "bind_start", false, "503", 900, At.AddSeconds(1)));
        output.OnRequest(new RequestSample("pay", null, false, "503", 20_001, At.AddSeconds(2)));
        await output.FinishAsync();

        var lines = (await File.ReadAllTextAsync(path)).Split('\n');
        Assert.Equal(
            """{"type":"Metric","data":{"name":"step_duration","type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"step_duration"}""",
            lines[0]);
        Assert.Equal(
            """{"type":"Point","data":{"time":"2026-12-07T22:01:25.123456Z","value":12.345,"tags":{"scenario":"pay","step":"pay","status":"200","ok":"true"}},"metric":"step_duration"}""",
            lines[1]);
        Assert.Equal(
            """{"type":"Metric","data":{"name":"step_reqs","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"step_reqs"}""",
            lines[2]);
        Assert.Equal(
            """{"type":"Point","data":{"time":"2026-12-07T22:01:25.123456Z","value":1,"tags":{"scenario":"pay","step":"pay","status":"200","ok":"true"}},"metric":"step_reqs"}""",
            lines[3]);

        var read = K6JsonLines.Read(path);
        Assert.Equal(6, read.Points.Count);
        Assert.Equal(4, read.Metrics.Count);
        Assert.Equal(10, read.Lines);
        Assert.Equal([12.345, 0.9], read.Of(JsonLinesOutput.StepDuration).Select(p => p.Value));
        Assert.Equal(["200", "503"], read.Of(JsonLinesOutput.StepRequests).Select(p => p.Tags["status"]));
        Assert.Equal(["true", "false"], read.Of(JsonLinesOutput.StepRequests).Select(p => p.Tags["ok"]));
        var iteration = Assert.Single(read.Of(JsonLinesOutput.IterationDuration));
        Assert.Equal(20.001, iteration.Value);
        Assert.Equal(At.AddSeconds(2), iteration.Time);
        Assert.False(iteration.Tags.ContainsKey("step"));
        Assert.Equal("trend", read.Metrics[JsonLinesOutput.IterationDuration]["type"]!.GetValue<string>());
        Assert.Equal("counter", read.Metrics[JsonLinesOutput.Iterations]["type"]!.GetValue<string>());
        Assert.Equal(3, output.WrittenRequests);
        Assert.Equal(6, output.WrittenPoints);
        var (line, warning) = output.Closing();
        Assert.Equal($"out: 6 points of 3 requests written to {path} (k6 JSON lines), 0 dropped", line);
        Assert.Null(warning);
    }

    [Fact]
    public async Task SmsWait_IsNotAWalletCall_HasMetricsOfItsOwn_SoStepReqsCountsWalletRequestsOnly()
    {
        var path = Path.Combine(_dir, "r.json");
        var output = new JsonLinesOutput(new OutTarget(path, Gzip: false));
        output.Start();
        output.OnRequest(new RequestSample("onboarding", "bind_start", true, "202", 5_000, At));
        output.OnRequest(new RequestSample("onboarding", "sms_wait", true, "ok", 1_500_250, At.AddSeconds(2)));
        output.OnRequest(new RequestSample("onboarding", "sms_wait", false, "sms_timeout", 3_000_000, At.AddSeconds(5)));
        output.OnRequest(new RequestSample("onboarding", "bind_confirm", true, "200", 7_000, At.AddSeconds(6)));
        await output.FinishAsync();

        var read = K6JsonLines.Read(path);
        Assert.Equal(["bind_start", "bind_confirm"], read.Of(JsonLinesOutput.StepRequests).Select(p => p.Tags["step"]));
        Assert.Equal(["bind_start", "bind_confirm"], read.Of(JsonLinesOutput.StepDuration).Select(p => p.Tags["step"]));
        Assert.Equal([1500.25, 3000.0], read.Of(JsonLinesOutput.SmsWaitDuration).Select(p => p.Value));
        Assert.Equal(["ok", "sms_timeout"], read.Of(JsonLinesOutput.SmsWaits).Select(p => p.Tags["status"]));
        Assert.All(read.Of(JsonLinesOutput.SmsWaits), p => Assert.Equal(("sms_wait", 1.0), (p.Tags["step"], p.Value)));
        Assert.Equal("sms_wait_duration", JsonLinesOutput.SmsWaitDuration);
        Assert.Equal("sms_waits", JsonLinesOutput.SmsWaits);
        Assert.Equal(("trend", "time"), (read.Metrics[JsonLinesOutput.SmsWaitDuration]["type"]!.GetValue<string>(), read.Metrics[JsonLinesOutput.SmsWaitDuration]["contains"]!.GetValue<string>()));
        Assert.Equal(("counter", "default"), (read.Metrics[JsonLinesOutput.SmsWaits]["type"]!.GetValue<string>(), read.Metrics[JsonLinesOutput.SmsWaits]["contains"]!.GetValue<string>()));
        Assert.Equal(4, output.WrittenRequests);
        Assert.Equal(8, output.WrittenPoints);
    }

    [Fact]
    public async Task GzPath_IsGzipCompressed_AndDecompressesToTheSameLines()
    {
        var plain = Path.Combine(_dir, "r.json");
        var gz = Path.Combine(_dir, "r.json.gz");
        foreach (var path in new[] { plain, gz })
        {
            var output = new JsonLinesOutput(new OutTarget(path, path.EndsWith(".gz", StringComparison.Ordinal)));
            output.Start();
            for (var i = 0; i < 1000; i++)
            {
                output.OnRequest(new RequestSample("s", i % 2 == 0 ? "pay" : null, true, "200", 1_000 + i, At.AddMilliseconds(i)));
            }

            await output.FinishAsync();
        }

        var bytes = await File.ReadAllBytesAsync(gz);
        Assert.Equal([0x1f, 0x8b], bytes[..2]);
        await using var unzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var reader = new StreamReader(unzip);
        Assert.Equal(await File.ReadAllTextAsync(plain), await reader.ReadToEndAsync());
        Assert.Equal(2000, K6JsonLines.Read(gz).Points.Count);
    }

    [Fact]
    public async Task AFlushThatFails_CountsNothingUnflushedAsWritten_EverythingDropped()
    {
        var output = new JsonLinesOutput(new OutTarget("/x/r.json", Gzip: false), () => new FailingFlushStream());
        for (var i = 0; i < 32; i++)
        {
            output.OnRequest(new RequestSample("s", "pay", true, "200", 1_000, At));
        }

        output.Start();
        await output.FinishAsync();

        Assert.Equal(0, output.WrittenRequests);
        Assert.Equal(0, output.WrittenPoints);
        Assert.Equal(32, output.DroppedRequests);
        var (line, warning) = output.Closing();
        Assert.Equal("out: 0 points of 0 requests written to /x/r.json (k6 JSON lines), 32 dropped", line);
        Assert.Equal("--out: writing /x/r.json failed after 0 requests (No space left on device); the other 32 were dropped", warning);
    }

    [Fact]
    public async Task AFlushThatFailsLater_KeepsWhatWasFlushed_DropsTheRest()
    {
        var stream = new FailingFlushStream { FlushesThatSucceed = 1 };
        var output = new JsonLinesOutput(new OutTarget("/x/r.json", Gzip: false), () => stream);
        output.Start();
        output.OnRequest(new RequestSample("s", "pay", true, "200", 1_000, At));
        await WaitUntil(() => output.WrittenRequests == 1);
        for (var i = 0; i < 5; i++)
        {
            output.OnRequest(new RequestSample("s", "pay", true, "200", 1_000, At));
        }

        await output.FinishAsync();

        Assert.Equal(1, output.WrittenRequests);
        Assert.Equal(2, output.WrittenPoints);
        Assert.Equal(5, output.DroppedRequests);
    }

    private static async Task WaitUntil(Func<bool> done)
    {
        for (var i = 0; i < 500 && !done(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(done());
    }

    /// <summary>Takes writes into memory (as a FileStream buffers them) and fails on flush, as /dev/full does.</summary>
    private sealed class FailingFlushStream : MemoryStream
    {
        public int FlushesThatSucceed { get; init; }

        private int _flushes;

        public override void Flush()
        {
            if (_flushes++ >= FlushesThatSucceed)
            {
                throw new IOException("No space left on device");
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flush();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task FullQueue_DropsAndCountsInsteadOfWaiting_AndTheWarningSaysSo()
    {
        var path = Path.Combine(_dir, "r.json");
        var output = new JsonLinesOutput(new OutTarget(path, Gzip: false), capacity: 4);

        // Before the writer starts nothing drains the queue: the first four wait, the other six are dropped at once.
        for (var i = 0; i < 10; i++)
        {
            output.OnRequest(new RequestSample("s", "pay", true, "200", 1_000, At));
        }

        Assert.Equal(6, output.DroppedRequests);
        output.Start();
        await output.FinishAsync();

        Assert.Equal(4, K6JsonLines.Read(path).Of(JsonLinesOutput.StepDuration).Count());
        var (line, warning) = output.Closing();
        Assert.Equal($"out: 8 points of 4 requests written to {path} (k6 JSON lines), 6 dropped", line);
        Assert.Equal($"--out: 6 of 10 requests were dropped from {path}: its writer fell behind the load (the report's figures count them all)", warning);
    }

    [Fact]
    public async Task NeverStarted_CreatesNoFile()
    {
        var path = Path.Combine(_dir, "r.json");
        var output = new JsonLinesOutput(new OutTarget(path, Gzip: false));
        output.OnRequest(new RequestSample("s", "pay", true, "200", 1_000, At));
        await output.FinishAsync();

        Assert.False(File.Exists(path));
        Assert.Equal(1, output.DroppedRequests);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

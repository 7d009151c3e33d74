using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Tests.EndToEnd;

namespace PaySim.LoadTests.Tests.Cli;

/// <summary>
/// Ctrl+C (SIGINT) to a real `run` process: the load stops, faults are reverted, a partial report is
/// written with "aborted": true, the summary is printed and the exit code is 130.
/// </summary>
[Collection(EndToEndSecondLane.Name)]
public sealed class InterruptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-interrupt-").FullName;

    [Fact]
    public async Task Sigint_DuringTheLoad_RevertsFaults_WritesAnAbortedReport_AndExits130()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var plan = Path.Combine(_dir, "interrupt.json");
        await File.WriteAllTextAsync(plan, """
            {
              "name": "interrupt", "duration": "60s", "rate": 10, "warmUp": "1s",
              "target": { "embedded": { "nodes": 2, "walletInstances": 1 } },
              "preboundCards": 5,
              "scenarios": [ { "name": "payment" } ],
              "nodeEvents": [ { "node": "issuer-2", "state": "down", "start": "0s" } ],
              "faults": [ { "name": "slow", "node": "issuer-1", "latency": "5ms", "start": "0s" } ],
              "claims": [ "duplicate_charges == 0" ]
            }
            """);
        var report = Path.Combine(_dir, "report");
        var dll = Path.Combine(AppContext.BaseDirectory, "PaySim.LoadTests.dll");
        // A process started in the background inherits SIGINT ignored (as `cmd &` does), and .NET keeps it
        // ignored; coreutils' env gives the child the default disposition a terminal's foreground job has.
        var start = new ProcessStartInfo("env", ["--default-signal=INT", "dotnet", dll, "run", "--plan", plan, "--no-progress", "--settle", "2s", "--report-dir", report])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dir,
        };
        using var process = Process.Start(start)!;
        var stdout = new StringBuilder();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            string? line;
            do
            {
                line = await process.StandardOutput.ReadLineAsync(ready.Token);
                stdout.AppendLine(line);
            }
            while (line is not null && !line.StartsWith("running interrupt:", StringComparison.Ordinal));
            if (line is null)
            {
                Assert.Fail($"the run never started: {stdout} {await stderr}");
            }

            // The faults start at 0 s of the load; give them ample time to be posted before interrupting.
            await Task.Delay(TimeSpan.FromSeconds(3));
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            stdout.Append(await process.StandardOutput.ReadToEndAsync());
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(exit.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var err = await stderr;
        Assert.True(process.ExitCode == ExitCodes.Interrupted, $"exit {process.ExitCode}\n{stdout}\n{err}");
        Assert.Contains("Ctrl+C: stopping the load, reverting faults, writing the report", err, StringComparison.Ordinal);
        Assert.Contains($"interrupted: the load stopped early; faults were reverted and the partial report is in {report}", err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", err, StringComparison.Ordinal);
        Assert.Contains("verdict: fail (the run stopped early; 1 of 1 claims held over what ran)", stdout.ToString(), StringComparison.Ordinal);

        var summary = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(report, "summary.json")))!;
        Assert.True(summary["aborted"]!.GetValue<bool>());
        Assert.Equal("fail", summary["verdict"]!.GetValue<string>());
        Assert.StartsWith("interrupted (Ctrl+C or SIGTERM) after ", summary["abortReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(summary["durationS"]!.GetValue<double>() < 30, "the load stopped long before its 60 s");
        var timeline = summary["faultTimeline"]!.AsArray().Select(e => e!["what"]!.GetValue<string>()).ToArray();
        foreach (var applied in timeline.Where(w => !w.EndsWith(" ended", StringComparison.Ordinal)))
        {
            Assert.Contains($"{applied} ended", timeline);
        }

        Assert.Equal(2, timeline.Count(w => !w.EndsWith(" ended", StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(report, "report.html")));

        // CI test tabs read junit.xml: the interrupted run must not show green there.
        var junit = System.Xml.Linq.XDocument.Load(Path.Combine(report, "junit.xml"));
        var suite = junit.Descendants("testsuite").Single();
        Assert.Equal("1", (string?)suite.Attribute("errors"));
        Assert.Equal("2", (string?)suite.Attribute("tests"));
        var error = junit.Descendants("testcase").Single(c => (string?)c.Attribute("name") == "run completed").Element("error")!;
        Assert.StartsWith("interrupted (Ctrl+C or SIGTERM) after ", (string?)error.Attribute("message"), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

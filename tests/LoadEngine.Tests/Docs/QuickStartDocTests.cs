namespace PaySim.LoadEngine.Tests.Docs;

/// <summary>
/// docs/load-engine.md's quick start compiles: its code block is <see cref="QuickStart"/> below, line for line, so a
/// snippet that uses a name it never declares (as <c>.RunAsync(cancellationToken)</c> once did, CS0103) or an API that
/// changed breaks the build of this project, and an edit of either copy alone fails <see cref="TheQuickStart_IsTheCodeThatCompilesHere"/>.
/// </summary>
public sealed class QuickStartDocTests
{
    [Fact]
    public void TheQuickStart_IsTheCodeThatCompilesHere()
    {
        var doc = File.ReadAllLines(Path.Combine(FolderCycleFinder.RepositoryRoot(), "docs", "load-engine.md"));
        var start = Array.IndexOf(doc, "## Quick start");
        Assert.True(start >= 0, "docs/load-engine.md has no \"## Quick start\"");
        var open = Array.IndexOf(doc, "```csharp", start);
        var close = Array.IndexOf(doc, "```", open + 1);
        var documented = doc[(open + 1)..close].Where(l => l != "using PaySim.LoadEngine;").ToArray();

        Assert.Equal(Trimmed(documented), Trimmed(CompiledCopy()));
    }

    // Compiled, never run (it would send load to 127.0.0.1:7300): the doc's top-level statements as a method body.
    internal static async Task<int> QuickStart()
    {
        // quick-start:begin
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };   // Ctrl+C stops the run early, report still written
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:7300") };

        var pay = Scenario.Create("pay", async ctx =>
            {
                var bind = await Step.Run("bind", ctx, async () =>
                {
                    using var r = await http.PostAsync("/cards/bind", null, ctx.CancellationToken);
                    return r.IsSuccessStatusCode ? Response.Ok((int)r.StatusCode) : Response.Fail((int)r.StatusCode);
                });
                if (bind.IsFail)
                {
                    return bind;                       // the iteration fails with the step's status code
                }

                return await Step.Run("confirm", ctx, async () =>
                {
                    await Task.Delay(5, ctx.CancellationToken);
                    return Response.Ok("00", sizeBytes: 120);   // ISO 8583 "approved"
                });
            })
            .WithLoadSimulations(
                LoadSimulation.RampingInject(rate: 200, interval: TimeSpan.FromSeconds(1), during: TimeSpan.FromSeconds(10)),
                LoadSimulation.Inject(rate: 200, interval: TimeSpan.FromSeconds(1), during: TimeSpan.FromSeconds(60)))
            .WithMaxConcurrency(500)
            .WithThresholds("ok_rate >= 99.5%", "p99 < 250ms", "step:confirm p95 < 300ms", "dropped == 0");

        RunResult result = await LoadTestRunner.RegisterScenarios(pay)
            .WithPlanName("smoke")
            .WithReportFolder("reports/smoke")
            .RunAsync(cts.Token);

        return result.Passed ? 0 : 1;
        // quick-start:end
    }

    private static string[] CompiledCopy()
    {
        var lines = File.ReadAllLines(Path.Combine(FolderCycleFinder.RepositoryRoot(), "tests", "LoadEngine.Tests", "Docs", "QuickStartDocTests.cs"));
        var begin = Array.FindIndex(lines, l => l.Trim() == "// quick-start:begin");
        var end = Array.FindIndex(lines, l => l.Trim() == "// quick-start:end");
        return lines[(begin + 1)..end].Select(l => l.Length >= 8 && l[..8].Trim().Length == 0 ? l[8..] : l).ToArray();
    }

    private static string Trimmed(string[] lines) => string.Join('\n', lines.Select(l => l.TrimEnd())).Trim();
}

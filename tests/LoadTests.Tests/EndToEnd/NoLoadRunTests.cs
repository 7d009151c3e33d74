using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Running;
using PaySim.LoadTests.Tests.Cli;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>A run that sent no load, or a fraction of it, never reads as a silent pass: no verdict, or a warning.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class NoLoadRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-noload-").FullName;

    [Fact]
    public async Task ARunInWhichNoIterationRanAfterTheWarmUp_GivesNoVerdict_ExitThree_NotAPass()
    {
        // One iteration, done long before the 2 s warm-up ends: nothing is measured, so the claim would hold over nothing.
        var plan = Plan("""{ "scenarios": [ { "name": "history", "load": [ { "kind": "iterations", "copies": 1, "count": 1 } ] } ], "duration": "3s", "warmUp": "2s", "settle": "0", "preboundCards": 1, "claims": [ "excess_charges == 0" ] }""");

        var run = await RunAsync(plan);

        Assert.True(run.ExitCode == ExitCodes.NotCompleted, run.Describe());
        Assert.Contains("run failed, no verdict: the plan did not run as written: no iteration ran after the warm-up", run.Err, StringComparison.Ordinal);
        Assert.Equal("fail", run.Summary["verdict"]!.GetValue<string>());
        Assert.StartsWith("the plan did not run as written: no iteration ran after the warm-up", run.Summary["abortReason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARunThatDroppedMostOfItsLoad_Warns_OnScreenAndInTheSummary_AndKeepsItsVerdict()
    {
        var plan = Plan("""{ "scenarios": [ { "name": "payment", "maxConcurrency": 1 } ], "rate": 100, "duration": "3s", "warmUp": "0", "settle": "1s", "preboundCards": 2, "claims": [ "excess_charges == 0" ] }""");

        var run = await RunAsync(plan);

        Assert.True(run.ExitCode == ExitCodes.AllClaimsHold, run.Describe());
        var warning = Assert.Single(run.PlanWarnings, w => w.StartsWith(DroppedIterations.WarningStart, StringComparison.Ordinal));
        Assert.Contains("scenario payment dropped ", warning, StringComparison.Ordinal);
        Assert.Contains("its maxConcurrency (1) was reached", warning, StringComparison.Ordinal);
        Assert.Contains(run.PlanWarningLines, l => l == $"warning: {warning}");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // ShortRun names its folder after a shipped plan's name; a plan file's report goes in this test's own folder.
    private async Task<ShortRun> RunAsync(string plan)
    {
        var folder = Path.Combine(_dir, "report");
        var (code, output, err) = await CliRunner.RunAsync("run", "--plan", plan, "--no-progress", "--report-dir", folder);
        var summary = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "summary.json")))!.AsObject();
        return new ShortRun(code, output, err, summary, folder);
    }

    private string Plan(string json)
    {
        var path = Path.Combine(_dir, "plan.json");
        File.WriteAllText(path, json);
        return path;
    }
}

using System.Text.Json.Nodes;
using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Tests.Cli;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>A shortened run (10 s unless told) of a shipped plan on the embedded cluster, with its summary.json read back.</summary>
internal sealed record ShortRun(int ExitCode, string Out, string Err, JsonObject Summary, string Folder)
{
    public static Task<ShortRun> RunAsync(string plan, params string[] extra) => RunForAsync(plan, "10s", extra);

    public static async Task<ShortRun> RunForAsync(string plan, string duration, params string[] extra)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"paysim-lt-{plan}-{Guid.NewGuid():N}");
        string[] args = ["run", "--plan", plan, "--duration", duration, "--no-progress", "--report-dir", folder, .. extra];
        var (code, output, err) = await CliRunner.RunAsync(args);
        var summaryFile = Path.Combine(folder, "summary.json");
        Assert.True(File.Exists(summaryFile), $"no summary.json (exit {code}): {err}\n{output}");
        var summary = JsonNode.Parse(await File.ReadAllTextAsync(summaryFile))!.AsObject();
        return new ShortRun(code, output, err, summary, folder);
    }

    /// <summary>
    /// summary.json's warnings about the plan and the target, without the harness's own lateness, which a busy CI
    /// machine may add to any run (<see cref="GeneratorLag"/>; its own tests check it).
    /// </summary>
    public IReadOnlyList<string> PlanWarnings =>
        Summary["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).Where(w => !w.StartsWith(GeneratorLag.WarningStart, StringComparison.Ordinal)).ToArray();

    /// <summary>The console's warning lines, without the harness's own lateness.</summary>
    public IReadOnlyList<string> PlanWarningLines =>
        Out.Split('\n').Where(l => l.StartsWith("warning: ", StringComparison.Ordinal) && !l.StartsWith("warning: " + GeneratorLag.WarningStart, StringComparison.Ordinal)).ToArray();

    public IReadOnlyList<JsonObject> Claims => Summary["claims"]!.AsArray().Select(c => c!.AsObject()).ToArray();

    public JsonObject Claim(string expression) =>
        Claims.Single(c => c["expression"]!.GetValue<string>() == expression);

    public double Figure(string path)
    {
        JsonNode? node = Summary;
        foreach (var part in path.Split('.'))
        {
            node = node?[part];
        }

        return node!.GetValue<double>();
    }

    public string Describe() => $"exit {ExitCode}\n{Out}\n{Err}";

    /// <summary>The final table has the reconciliation with every figure, and summary.json has each one read (not "no value").</summary>
    public void AssertReconciliationPrinted()
    {
        Assert.Contains("reconciliation", Out, StringComparison.Ordinal);
        Assert.Contains("reconciled: ", Out, StringComparison.Ordinal);
        var reconciliation = Summary["reconciliation"]!.AsObject();
        foreach (var (metric, field) in PaySim.LoadTests.Claims.ClaimMetrics.Reconciliation)
        {
            Assert.Contains(metric, Out, StringComparison.Ordinal);
            Assert.True(reconciliation[field] is not null, $"{field} has no value: {reconciliation.ToJsonString()}");
        }

        Assert.True(reconciliation["views"]!["wallet"]!["read"]!.GetValue<bool>(), reconciliation.ToJsonString());
        Assert.True(reconciliation["views"]!["issuer"]!["read"]!.GetValue<bool>(), reconciliation.ToJsonString());
    }

    /// <summary>Every reconciliation figure is zero: nothing charged twice, lost, held or left pending.</summary>
    public void AssertMoneyReconciles()
    {
        AssertReconciliationPrinted();
        foreach (var (_, field) in PaySim.LoadTests.Claims.ClaimMetrics.Reconciliation)
        {
            Assert.True(Summary["reconciliation"]![field]!.GetValue<long>() == 0, $"{field}: {Summary["reconciliation"]!.ToJsonString()}");
        }
    }

    public void Delete()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

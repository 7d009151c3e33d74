using PaySim.LoadEngine;

namespace PaySim.Benchmarks.Tools;

/// <summary>Runs one PaySim.LoadEngine scenario quietly and turns its summary into a <see cref="LoadResult"/>.</summary>
internal static class EngineRun
{
    public const string ScenarioName = "bench";

    public static async Task<LoadResult> RunAsync(string tool, ScenarioProps scenario)
    {
        var result = await LoadTestRunner.RegisterScenarios(scenario)
            .WithProgress(false)
            .WithPlanName(tool)
            .RunAsync();
        var s = result.GetScenario(ScenarioName);

        // Ok per measured second, as the raw loops count it, so a failure never inflates a rate.
        return new LoadResult(
            tool,
            Rps: s.DurationS > 0 ? s.Ok / s.DurationS : 0,
            Ok: s.Ok,
            Fail: s.Fail,
            Dropped: s.Dropped,
            Seconds: s.DurationS,
            P50Ms: s.LatencyMs.P50,
            P99Ms: s.LatencyMs.P99);
    }
}

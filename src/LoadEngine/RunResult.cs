namespace PaySim.LoadEngine;

/// <summary>What <see cref="LoadTestRunner.RunAsync"/> returns.</summary>
public sealed class RunResult
{
    internal RunResult(RunSummary summary, IReadOnlyList<TimeSeriesPoint> timeSeries)
    {
        Summary = summary;
        TimeSeries = timeSeries;
    }

    /// <summary>Per-scenario and per-step statistics, thresholds as claims, verdict. Add claims here before writing reports.</summary>
    public RunSummary Summary { get; }

    /// <summary>One point per scenario per second.</summary>
    public IReadOnlyList<TimeSeriesPoint> TimeSeries { get; }

    public IReadOnlyList<ScenarioSummary> Scenarios => Summary.Scenarios;

    public bool Passed => Summary.Passed;

    public string? AbortReason => Summary.AbortReason;

    public ScenarioSummary GetScenario(string name) =>
        Summary.FindScenario(name) ?? throw new KeyNotFoundException($"no scenario named \"{name}\" in this run.");
}

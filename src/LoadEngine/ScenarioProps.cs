namespace PaySim.LoadEngine;

/// <summary>
/// An immutable scenario definition; every With* returns a changed copy, so a base scenario can be
/// reused to derive variants.
/// </summary>
public sealed record ScenarioProps
{
    /// <summary>Default open-model cap on iterations in flight; above it iterations are dropped.</summary>
    public const int DefaultMaxConcurrency = 10_000;

    internal ScenarioProps(string name, Func<IScenarioContext, Task<Response>> run)
    {
        Name = name;
        Run = run;
    }

    public string Name { get; }

    public Func<IScenarioContext, Task<Response>> Run { get; }

    public Func<IScenarioInitContext, Task>? Init { get; private init; }

    public Func<IScenarioInitContext, Task>? Clean { get; private init; }

    public TimeSpan WarmUpDuration { get; private init; }

    public double Weight { get; private init; } = 1;

    /// <summary>0 means unlimited.</summary>
    public int MaxFailCount { get; private init; }

    public IReadOnlyList<LoadSimulation> LoadSimulations { get; private init; } = [];

    public IReadOnlyList<Threshold> Thresholds { get; private init; } = [];

    public TimeSpan StartDelay { get; private init; }

    public int MaxConcurrency { get; private init; } = DefaultMaxConcurrency;

    public ScenarioProps WithInit(Func<IScenarioInitContext, Task> init) => this with { Init = init };

    public ScenarioProps WithClean(Func<IScenarioInitContext, Task> clean) => this with { Clean = clean };

    /// <summary>Iterations starting in the first <paramref name="duration"/> of the scenario run but are not counted.</summary>
    public ScenarioProps WithWarmUpDuration(TimeSpan duration) => this with { WarmUpDuration = duration };

    /// <summary>Share of the runner's shared load (<see cref="LoadTestRunner.WithSharedLoad"/>) for scenarios without their own simulations.</summary>
    public ScenarioProps WithWeight(double weight) => this with { Weight = weight };

    /// <summary>Stops the whole run once this scenario has more than <paramref name="maxFailCount"/> failures (0 = never).</summary>
    public ScenarioProps WithMaxFailCount(int maxFailCount) => this with { MaxFailCount = maxFailCount };

    public ScenarioProps WithLoadSimulations(params LoadSimulation[] simulations) => this with { LoadSimulations = simulations.ToArray() };

    public ScenarioProps WithThresholds(params Threshold[] thresholds) => this with { Thresholds = thresholds.ToArray() };

    /// <summary>Parses every expression now; a malformed one throws <see cref="LoadConfigException"/>.</summary>
    public ScenarioProps WithThresholds(params string[] expressions) =>
        this with { Thresholds = expressions.Select(e => Threshold.Create(e)).ToArray() };

    /// <summary>Offset from the start of the run; scenarios run in parallel, so offsets sequence them.</summary>
    public ScenarioProps WithStartDelay(TimeSpan delay) => this with { StartDelay = delay };

    /// <summary>Open model: most iterations in flight at once; a due iteration above it is counted as dropped.</summary>
    public ScenarioProps WithMaxConcurrency(int maxConcurrency) => this with { MaxConcurrency = maxConcurrency };
}

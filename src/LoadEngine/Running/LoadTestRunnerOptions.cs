namespace PaySim.LoadEngine.Running;

internal sealed record LoadTestRunnerOptions
{
    public IReadOnlyList<ScenarioProps> Scenarios { get; init; } = [];

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public IReadOnlyList<double> Percentiles { get; init; } = LoadTestRunner.DefaultPercentiles;

    public string? ReportFolder { get; init; }

    public bool? ShowProgress { get; init; }

    public string PlanName { get; init; } = "load-test";

    public IScenarioLogger Logger { get; init; } = ConsoleScenarioLogger.Instance;

    public IReadOnlyList<IReportingSink> Sinks { get; init; } = [];

    public int Seed { get; init; } = 42;

    public TimeSpan GracefulStop { get; init; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<LoadSimulation> SharedLoad { get; init; } = [];

    public RunEvents? Events { get; init; }

    /// <summary>Called once a second while the load runs, with the live summary and the time since the run began; a non-null answer stops the run with that reason.</summary>
    public Func<RunSummary, TimeSpan, string?>? LiveCheck { get; init; }

    /// <summary>Sees every counted iteration and step as it completes: the one observer, or a <see cref="CompositeRequestObserver"/> of several; null (the default): nothing extra on the hot path.</summary>
    public IRequestObserver? RequestObserver { get; init; }

    /// <summary>Where the dispatch probe queues its item; null: the thread pool (tests hold items to stand for a starved pool).</summary>
    public Action<IThreadPoolWorkItem>? DispatchQueue { get; init; }
}

using System.Globalization;
using PaySim.LoadEngine.Running;

namespace PaySim.LoadEngine;

/// <summary>
/// Configures and runs scenarios (NBomber's NBomberRunner shape). Immutable: each With* returns a copy.
/// <code>
/// var result = await LoadTestRunner.RegisterScenarios(pay, refund)
///     .WithReportFolder("reports/x").RunAsync(ct);
/// </code>
/// </summary>
public sealed class LoadTestRunner
{
    /// <summary>50, 75, 90, 95, 99, 99.9 (max and mean are always reported).</summary>
    public static readonly IReadOnlyList<double> DefaultPercentiles = [50, 75, 90, 95, 99, 99.9];

    private readonly LoadTestRunnerOptions _options;

    private LoadTestRunner(LoadTestRunnerOptions options)
    {
        _options = options;
    }

    public IReadOnlyList<ScenarioProps> Scenarios => _options.Scenarios;

    public static LoadTestRunner RegisterScenarios(params ScenarioProps[] scenarios) =>
        new(new LoadTestRunnerOptions { Scenarios = scenarios.ToArray() });

    public LoadTestRunner WithTimeProvider(TimeProvider timeProvider) => new(_options with { TimeProvider = timeProvider });

    public LoadTestRunner WithPercentiles(params double[] percentiles) => new(_options with { Percentiles = percentiles.ToArray() });

    /// <summary>Writes summary.json, report.md, report.html, junit.xml, timeseries.csv and timeseries-steps.csv there at the end.</summary>
    public LoadTestRunner WithReportFolder(string folder) => new(_options with { ReportFolder = folder });

    /// <summary>true: live table (terminal) or one log line a second (redirected / CI=true); false: silent. Default: on.</summary>
    public LoadTestRunner WithProgress(bool show) => new(_options with { ShowProgress = show });

    /// <summary>The "plan" field of summary.json and the junit suite name.</summary>
    public LoadTestRunner WithPlanName(string planName) => new(_options with { PlanName = planName });

    public LoadTestRunner WithLogger(IScenarioLogger logger) => new(_options with { Logger = logger });

    public LoadTestRunner WithReportingSinks(params IReportingSink[] sinks) => new(_options with { Sinks = sinks.ToArray() });

    /// <summary>Seeds InjectRandom (each scenario derives its own stream from it).</summary>
    public LoadTestRunner WithSeed(int seed) => new(_options with { Seed = seed });

    /// <summary>How long in-flight iterations may finish after the load ends before they are cancelled (default 5 s).</summary>
    public LoadTestRunner WithGracefulStop(TimeSpan gracefulStop) => new(_options with { GracefulStop = gracefulStop });

    /// <summary>Events the live progress shows as they are announced (faults starting and ending).</summary>
    public LoadTestRunner WithRunEvents(RunEvents events) => new(_options with { Events = events });

    /// <summary>
    /// A check of the caller's own, run once a second while the load runs (after the engine's abortOnFail thresholds), over
    /// the cumulative live summary and the time since the run began. The first non-null answer stops the load like an
    /// abortOnFail threshold: in-flight iterations get the graceful stop, the answer becomes <see cref="RunSummary.AbortReason"/>.
    /// </summary>
    public LoadTestRunner WithLiveCheck(Func<RunSummary, TimeSpan, string?> check) => new(_options with { LiveCheck = check });

    /// <summary>
    /// Per-request results (k6's <c>--out json</c>): <paramref name="observer"/> sees every iteration and every
    /// <see cref="Step.Run"/> step the statistics count, with its latency, status and end time, on the load's threads.
    /// It must never block (see <see cref="IRequestObserver"/>). Each call adds one: all of them see every request, in the
    /// order they were added (<c>--out json</c> and <c>--otlp</c>'s histograms together). Without one the hot path pays a
    /// null check, with one a call to it.
    /// </summary>
    public LoadTestRunner WithRequestObserver(IRequestObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return new(_options with { RequestObserver = CompositeRequestObserver.Append(_options.RequestObserver, observer) });
    }

    /// <summary>Load split by <see cref="ScenarioProps.WithWeight"/> among scenarios that have no simulations of their own.</summary>
    public LoadTestRunner WithSharedLoad(params LoadSimulation[] simulations) => new(_options with { SharedLoad = simulations.ToArray() });

    /// <summary>Tests: queue the dispatch probe's item here instead of on the thread pool (see <see cref="DispatchProbe"/>).</summary>
    internal LoadTestRunner WithDispatchQueue(Action<IThreadPoolWorkItem> queue) => new(_options with { DispatchQueue = queue });

    /// <summary>Checks everything a user can get wrong; throws <see cref="LoadConfigException"/> with one line.</summary>
    public void Validate()
    {
        if (_options.Scenarios.Count == 0)
        {
            throw new LoadConfigException("no scenarios registered; pass at least one to RegisterScenarios.");
        }

        var duplicate = _options.Scenarios.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new LoadConfigException($"scenario name \"{duplicate.Key}\" is used {duplicate.Count()} times; names must be unique.");
        }

        foreach (var p in _options.Percentiles)
        {
            if (!(p > 0 && p <= 100))
            {
                throw new LoadConfigException($"percentile {p.ToString(CultureInfo.InvariantCulture)} is out of range; allowed: > 0 and <= 100.");
            }
        }

        if (_options.GracefulStop < TimeSpan.Zero)
        {
            throw new LoadConfigException($"gracefulStop must be >= 0, got {_options.GracefulStop}.");
        }

        for (var i = 0; i < _options.SharedLoad.Count; i++)
        {
            _options.SharedLoad[i].Validate("(shared load)", i);
        }

        foreach (var s in _options.Scenarios)
        {
            var sims = s.LoadSimulations;
            if (sims.Count == 0 && _options.SharedLoad.Count == 0)
            {
                throw new LoadConfigException($"scenario \"{s.Name}\": no load simulations; call WithLoadSimulations(...) or give the runner WithSharedLoad(...).");
            }

            for (var i = 0; i < sims.Count; i++)
            {
                sims[i].Validate(s.Name, i);
            }

            var effective = sims.Count > 0 ? sims : _options.SharedLoad;
            if (effective.Any(x => x.IsOpen) && effective.Any(x => x.IsClosed))
            {
                throw new LoadConfigException($"scenario \"{s.Name}\": mixes open (Inject*) and closed (KeepConstant, RampingConstant, Iterations) simulations; use one model per scenario (Pause fits both).");
            }

            if (!(s.Weight > 0) || !double.IsFinite(s.Weight))
            {
                throw new LoadConfigException($"scenario \"{s.Name}\": weight must be > 0, got {s.Weight.ToString(CultureInfo.InvariantCulture)}.");
            }

            if (s.MaxConcurrency < 1)
            {
                throw new LoadConfigException($"scenario \"{s.Name}\": maxConcurrency must be >= 1, got {s.MaxConcurrency}.");
            }

            if (s.MaxFailCount < 0)
            {
                throw new LoadConfigException($"scenario \"{s.Name}\": maxFailCount must be >= 0 (0 = unlimited), got {s.MaxFailCount}.");
            }

            if (s.StartDelay < TimeSpan.Zero || s.WarmUpDuration < TimeSpan.Zero)
            {
                throw new LoadConfigException($"scenario \"{s.Name}\": startDelay and warmUpDuration must be >= 0.");
            }
        }
    }

    /// <summary>Validates, runs init, the load, clean, judges thresholds, writes reports if a folder is set.</summary>
    public async Task<RunResult> RunAsync(CancellationToken cancellationToken = default)
    {
        Validate();
        using var engine = new RunEngine(_options);
        return await engine.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}

using System.Globalization;
using PaySim.LoadEngine.Reporting;

namespace PaySim.LoadEngine.Running;

/// <summary>One run: starts the scenarios, snapshots once a second, judges thresholds, builds the summary.</summary>
internal sealed class RunEngine : IDisposable
{
    private readonly LoadTestRunnerOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _run = new();
    private readonly List<TimeSeriesPoint> _series = [];
    private readonly List<ScenarioRuntime> _scenarios = [];
    private readonly HashSet<Threshold> _aborted = [];
    private string? _abortReason;
    private long _runStart;
    private int _second;
    private double _lastElapsed;
    private double _elapsedBefore;

    /// <summary>A closing row shorter than this is folded into the last full row rather than charted as its own second.</summary>
    internal const double FoldFinalSliverS = 0.5;

    public RunEngine(LoadTestRunnerOptions options)
    {
        _options = options;
        var shared = options.Scenarios.Where(s => s.LoadSimulations.Count == 0).ToArray();
        var sharedWeight = shared.Sum(s => s.Weight);
        for (var i = 0; i < options.Scenarios.Count; i++)
        {
            var props = options.Scenarios[i];
            var sims = props.LoadSimulations.Count > 0
                ? props.LoadSimulations
                : options.SharedLoad.Select(s => s.Scale(props.Weight / sharedWeight)).ToArray();
            _scenarios.Add(new ScenarioRuntime(this, props, sims, unchecked(options.Seed * 31 + i)));
        }
    }

    public TimeProvider Time => _options.TimeProvider;

    public IScenarioLogger Logger => _options.Logger;

    public CancellationToken RunToken => _run.Token;

    public IRequestObserver? RequestObserver => _options.RequestObserver;

    public CancellationToken Stopping => _stopping.Token;

    public void Stop(string reason)
    {
        if (Interlocked.CompareExchange(ref _abortReason, reason, null) is null)
        {
            Logger.Warn($"stopping run: {reason}");
        }

        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Lets in-flight iterations finish for the graceful-stop period, then cancels them.</summary>
    public async Task DrainAsync(Task inFlight)
    {
        try
        {
            await inFlight.WaitAsync(_options.GracefulStop, Time).ConfigureAwait(false);
            return;
        }
        catch (TimeoutException)
        {
        }

        await _run.CancelAsync().ConfigureAwait(false);
        try
        {
            await inFlight.WaitAsync(_options.GracefulStop, Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Logger.Warn("some iterations ignored cancellation and were abandoned");
        }
    }

    public async Task<RunResult> RunAsync(CancellationToken cancellationToken)
    {
        using var link = cancellationToken.Register(() => Stop("cancelled by the caller"));
        foreach (var s in _scenarios.Where(s => s.Props.Init is not null))
        {
            await s.Props.Init!(new ScenarioInitContext(s.Props.Name, Logger, s.SharedData, _run.Token, Time)).ConfigureAwait(false);
        }

        var startedUtc = Time.GetUtcNow();
        _runStart = Time.GetTimestamp();
        var progress = ProgressPrinter.Create(_options.ShowProgress, PlannedSeconds());
        var probe = new DispatchProbe(Time, RecordDispatchLag, _options.DispatchQueue);
        probe.Start();
        var scenarioTasks = _scenarios.Select(s => Task.Run(() => s.RunAsync(_runStart, _stopping.Token))).ToArray();
        var all = Task.WhenAll(scenarioTasks);
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), Time);
            while (true)
            {
                var tick = timer.WaitForNextTickAsync(CancellationToken.None).AsTask();
                if (await Task.WhenAny(tick, all).ConfigureAwait(false) == all)
                {
                    break;
                }

                await SnapshotAsync(progress, final: false).ConfigureAwait(false);
            }

            await all.ConfigureAwait(false);
        }
        finally
        {
            probe.Dispose();
            await _run.CancelAsync().ConfigureAwait(false);
            foreach (var s in _scenarios.Where(s => s.Props.Clean is not null))
            {
                try
                {
                    await s.Props.Clean!(new ScenarioInitContext(s.Props.Name, Logger, s.SharedData, CancellationToken.None, Time)).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    Logger.Error($"scenario \"{s.Props.Name}\" clean failed", ex);
                }
            }
        }

        await SnapshotAsync(progress, final: true).ConfigureAwait(false);
        progress.Complete();
        var summary = BuildSummary(startedUtc, encode: true);
        summary.Claims.AddRange(JudgeThresholds(summary));
        var result = new RunResult(summary, _series.ToArray());
        foreach (var sink in _options.Sinks)
        {
            await sink.OnRunCompletedAsync(result, CancellationToken.None).ConfigureAwait(false);
        }

        if (_options.ReportFolder is { } folder)
        {
            await ReportWriter.WriteAsync(folder, summary, result.TimeSeries, CancellationToken.None).ConfigureAwait(false);
        }

        return result;
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _run.Dispose();
    }

    // The pool's wait counts as start lag for every scenario measuring now (started, warmed up, not finished).
    private void RecordDispatchLag(long ticks)
    {
        var now = Time.GetTimestamp();
        foreach (var s in _scenarios)
        {
            if (s.Started && s.EndTimestamp is null && now >= s.WarmUpEndTimestamp)
            {
                s.Stats.RecordStartLag(s.ToMicros(ticks));
            }
        }
    }

    private double? PlannedSeconds()
    {
        var planned = _scenarios.Select(s => s.PlannedSeconds).ToArray();
        return planned.All(p => p.HasValue) ? planned.Max() : null;
    }

    private async Task SnapshotAsync(ProgressPrinter progress, bool final)
    {
        var now = Time.GetTimestamp();
        var elapsed = (now - _runStart) / (double)Time.TimestampFrequency;

        // The closing row is the next second after the last full one (a 6.002 s run's rows are 1 … 6, not 1 … 5, 7), and
        // its rate counts over its real span: from the last row to the end. A closing sliver shorter than
        // FoldFinalSliverS (iterations that completed just after the last tick) is folded into the last row instead, for
        // the report's series, so 3 requests in 20 ms do not read as a 150/s spike.
        var second = ++_second;
        var span = elapsed - _lastElapsed;
        var fold = final && _series.Count > 0 && span < FoldFinalSliverS;
        var intervalSeconds = final ? Math.Max(1e-3, span) : 1.0;
        var points = new List<TimeSeriesPoint>(_scenarios.Count);
        foreach (var s in _scenarios)
        {
            var f = s.Stats.TakeInterval();
            var steps = s.Stats.TakeStepIntervals();
            var dropped = s.Stats.TakeDroppedDelta();
            var startLagMs = s.Stats.TakeStartLagInterval() / 1000.0;
            if (final && f.Ok + f.Fail + dropped == 0)
            {
                continue;
            }

            points.Add(new TimeSeriesPoint
            {
                Second = second,
                ElapsedS = Math.Round(elapsed, 3),
                Scenario = s.Props.Name,
                Requests = f.Ok + f.Fail,
                Ok = f.Ok,
                Fail = f.Fail,
                Dropped = dropped,
                Rps = Math.Round((f.Ok + f.Fail) / (fold ? 1.0 : intervalSeconds), 3),
                P50Ms = f.P50Ms,
                P99Ms = f.P99Ms,
                MaxStartLagMs = startLagMs,
                Concurrency = s.Concurrency,
                TargetRps = s.TargetRate(_lastElapsed, elapsed) is { } target ? Math.Round(target, 3) : null,
                Steps = steps,
            });
        }

        var spanBefore = _lastElapsed - _elapsedBefore;
        _elapsedBefore = _lastElapsed;
        _lastElapsed = elapsed;

        if (fold)
        {
            FoldIntoLastRows(points, spanBefore, span);
        }
        else
        {
            _series.AddRange(points);
        }

        foreach (var sink in _options.Sinks)
        {
            await sink.OnSnapshotAsync(points, CancellationToken.None).ConfigureAwait(false);
        }

        var live = BuildSummary(startedUtc: default, encode: false);
        progress.Update(elapsed, live, points, _options.Events?.TakeNew() ?? []);
        if (!final)
        {
            CheckAbortThresholds(live, now);
            if (_options.LiveCheck?.Invoke(live, TimeSpan.FromSeconds(elapsed)) is { } reason)
            {
                Stop(reason);
            }
        }
    }

    /// <summary>
    /// The closing sliver's points merged into each scenario's last row of the series: counts add up (so the series'
    /// totals stay the summary's), the rate counts over both spans together, the row ends where the run did.
    /// </summary>
    private void FoldIntoLastRows(List<TimeSeriesPoint> sliver, double lastSpan, double span)
    {
        foreach (var p in sliver)
        {
            var i = _series.FindLastIndex(x => x.Scenario == p.Scenario);
            if (i < 0 || _series[i].Second != _second - 1)
            {
                _series.Add(p with { Second = _second - 1 });
                continue;
            }

            var last = _series[i];
            var requests = last.Requests + p.Requests;
            var steps = last.Steps.ToDictionary(x => x.Name, StringComparer.Ordinal);
            foreach (var st in p.Steps)
            {
                steps[st.Name] = steps.TryGetValue(st.Name, out var had)
                    ? had with
                    {
                        Requests = had.Requests + st.Requests, Ok = had.Ok + st.Ok, Fail = had.Fail + st.Fail,
                        P50Ms = had.Requests > 0 ? had.P50Ms : st.P50Ms, P99Ms = Math.Max(had.P99Ms, st.P99Ms),
                    }
                    : st;
            }

            _series[i] = last with
            {
                ElapsedS = p.ElapsedS,
                Requests = requests,
                Ok = last.Ok + p.Ok,
                Fail = last.Fail + p.Fail,
                Dropped = last.Dropped + p.Dropped,
                Rps = Math.Round(requests / Math.Max(1e-3, lastSpan + span), 3),

                // Percentiles do not add: the second's own median stands (the sliver's few iterations barely move it), the
                // tail is the worse of the two.
                P50Ms = last.Requests > 0 ? last.P50Ms : p.P50Ms,
                P99Ms = Math.Max(last.P99Ms, p.P99Ms),
                MaxStartLagMs = Math.Max(last.MaxStartLagMs, p.MaxStartLagMs),
                Concurrency = p.Concurrency,
                Steps = steps.Values.ToArray(),
            };
        }

        _second--;
    }

    private void CheckAbortThresholds(RunSummary live, long now)
    {
        foreach (var s in _scenarios.Where(s => s.Started))
        {
            var sinceStart = TimeSpan.FromSeconds((now - s.StartTimestamp) / (double)Time.TimestampFrequency);
            var summary = live.FindScenario(s.Props.Name);
            foreach (var t in s.Props.Thresholds.Where(t => t.AbortOnFail && sinceStart >= t.AbortDelay))
            {
                var result = t.Expression.Evaluate(key => summary is null ? null : ThresholdMetrics.Lookup(summary, key));

                // No data yet (e.g. no step completed) is not a failure worth aborting for.
                if (!result.Pass && result.Observed is not null && _aborted.Add(t))
                {
                    Stop($"threshold \"{t.Text}\" of scenario \"{s.Props.Name}\" failed during the run (observed {result.ObservedText})");
                }
            }
        }
    }

    private RunSummary BuildSummary(DateTimeOffset startedUtc, bool encode)
    {
        var now = Time.GetTimestamp();
        var summary = new RunSummary
        {
            Plan = _options.PlanName,
            StartedUtc = startedUtc,
            DurationS = Math.Round((now - _runStart) / (double)Time.TimestampFrequency, 3),
            AbortReason = _abortReason,
        };
        foreach (var s in _scenarios)
        {
            summary.Scenarios.Add(s.Stats.ToSummary(s.MeasuredSeconds(now), _options.Percentiles, encode));
        }

        return summary;
    }

    private List<ClaimResult> JudgeThresholds(RunSummary summary)
    {
        var claims = new List<ClaimResult>();
        foreach (var s in _scenarios)
        {
            var scenario = summary.FindScenario(s.Props.Name)!;
            foreach (var t in s.Props.Thresholds)
            {
                var result = t.Expression.Evaluate(key => ThresholdMetrics.Lookup(scenario, key));
                claims.Add(ClaimResult.FromResult($"{s.Props.Name}: {t.Text}", t.Expression, result, s.Props.Name));
            }

            if (s.Props.MaxFailCount > 0)
            {
                var expression = Expression.Parse("fail <= " + s.Props.MaxFailCount.ToString(CultureInfo.InvariantCulture));
                var result = expression.Evaluate(key => ThresholdMetrics.Lookup(scenario, key));
                claims.Add(ClaimResult.FromResult($"{s.Props.Name}: maxFailCount", expression, result, s.Props.Name));
            }
        }

        return claims;
    }
}

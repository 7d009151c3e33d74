using System.Collections.Concurrent;
using PaySim.LoadEngine.Scheduling;
using PaySim.LoadEngine.Statistics;

namespace PaySim.LoadEngine.Running;

/// <summary>Drives one scenario: the open-model dispatcher or the closed-model copies.</summary>
internal sealed class ScenarioRuntime
{
    private const int MaxLoggedErrors = 5;
    private static readonly TimeSpan RampStep = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ShortWait = TimeSpan.FromMilliseconds(20);

    private readonly ConcurrentQueue<ScenarioContext> _pool = new();
    private readonly object _gate = new();
    private readonly List<Task> _copyTasks = [];
    private readonly List<bool> _copyRunning = [];
    private readonly List<ScenarioContext> _copyContexts = [];
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly double _ticksToMicros;
    private readonly ArrivalSchedule? _targetSchedule;
    private long _invocations;
    private long _inFlight;
    private int _nextCopyId;
    private volatile int _desiredCopies;
    private volatile bool _iterationsMode;
    private long _iterationsLeft;
    private volatile bool _stopping;
    private volatile bool _dispatchDone;
    private int _loggedErrors;

    public ScenarioRuntime(RunEngine engine, ScenarioProps props, IReadOnlyList<LoadSimulation> simulations, int seed)
    {
        Engine = engine;
        Props = props;
        Simulations = simulations;
        Seed = seed;
        Stats = new ScenarioCollector(props.Name);
        IsOpen = simulations.Any(s => s.IsOpen);
        PlannedSeconds = simulations.Any(s => s.Kind == LoadSimulationKind.Iterations)
            ? null
            : props.StartDelay.TotalSeconds + simulations.Sum(s => s.During.TotalSeconds);
        _ticksToMicros = 1_000_000.0 / engine.Time.TimestampFrequency;
        _targetSchedule = IsOpen ? ArrivalSchedule.Build(simulations, seed) : null;
        Observer = engine.RequestObserver;
    }

    public RunEngine Engine { get; }

    public ScenarioProps Props { get; }

    public IReadOnlyList<LoadSimulation> Simulations { get; }

    public int Seed { get; }

    public ScenarioCollector Stats { get; }

    /// <summary>The run's per-request observer; null when none is set (the hot path's only cost then is this check).</summary>
    public IRequestObserver? Observer { get; }

    public bool IsOpen { get; }

    /// <summary>Start delay plus simulation time; null when an Iterations phase makes it open-ended.</summary>
    public double? PlannedSeconds { get; }

    public TimeProvider Time => Engine.Time;

    public IScenarioLogger Logger => Engine.Logger;

    public CancellationToken RunToken => Engine.RunToken;

    public IDictionary<string, object?> SharedData { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    public long StartTimestamp { get; private set; }

    public long WarmUpEndTimestamp { get; private set; }

    public long? EndTimestamp { get; private set; }

    public bool Started { get; private set; }

    /// <summary>Open: iterations in flight. Closed: copies running.</summary>
    public long Concurrency
    {
        get
        {
            if (IsOpen)
            {
                return Volatile.Read(ref _inFlight);
            }

            lock (_gate)
            {
                return _copyRunning.Count(r => r);
            }
        }
    }

    /// <summary>
    /// Open model: the mean rate the schedule asks for over (<paramref name="fromS"/>, <paramref name="toS"/>] of the run
    /// (seconds since the run started, the start delay taken off). Null for closed scenarios.
    /// </summary>
    public double? TargetRate(double fromS, double toS)
    {
        if (_targetSchedule is null || toS <= fromS)
        {
            return null;
        }

        var delay = Props.StartDelay.TotalSeconds;
        return (_targetSchedule.CumulativeAt(toS - delay) - _targetSchedule.CumulativeAt(fromS - delay)) / (toS - fromS);
    }

    public long ToMicros(long ticks) => (long)(ticks * _ticksToMicros);

    /// <summary>Seconds measured for rps: from the end of warm-up to the end (or now).</summary>
    public double MeasuredSeconds(long now)
    {
        if (!Started)
        {
            return 0;
        }

        var end = EndTimestamp ?? now;
        var from = WarmUpEndTimestamp;
        return end > from ? (end - from) / (double)Time.TimestampFrequency : 0;
    }

    public async Task RunAsync(long runStart, CancellationToken stopping)
    {
        StartTimestamp = runStart + SecondsToTicks(Props.StartDelay.TotalSeconds);
        WarmUpEndTimestamp = StartTimestamp + SecondsToTicks(Props.WarmUpDuration.TotalSeconds);
        if (!await DelayUntilAsync(StartTimestamp, stopping).ConfigureAwait(false))
        {
            return;
        }

        Started = true;
        try
        {
            if (IsOpen)
            {
                await RunOpenAsync(stopping).ConfigureAwait(false);
            }
            else
            {
                await RunClosedAsync(stopping).ConfigureAwait(false);
            }
        }
        finally
        {
            EndTimestamp = Time.GetTimestamp();
        }
    }

    /// <summary>Called by the context when an open-model iteration has finished.</summary>
    internal void CompleteOpenIteration(ScenarioContext ctx)
    {
        _pool.Enqueue(ctx);
        if (Interlocked.Decrement(ref _inFlight) == 0 && _dispatchDone)
        {
            _drained.TrySetResult();
        }
    }

    private async Task RunOpenAsync(CancellationToken stopping)
    {
        var schedule = ArrivalSchedule.Build(Simulations, Seed);
        var frequency = (double)Time.TimestampFrequency;
        var max = Props.MaxConcurrency;
        var shortWait = SecondsToTicks(ShortWait.TotalSeconds);

        // Short waits ride a reusable 1 ms periodic timer (no allocation per wake); long gaps
        // (low rates, pauses) use a one-off delay instead of waking a thousand times a second.
        using var fineTimer = new PeriodicTimer(TimeSpan.FromMilliseconds(1), Time);
        long k = 0;
        while (!stopping.IsCancellationRequested && schedule.TryGetArrival(k, out var t))
        {
            var due = StartTimestamp + (long)Math.Round(t * frequency);
            var left = due - Time.GetTimestamp();
            if (left > 0)
            {
                bool ok;
                if (left > shortWait)
                {
                    ok = await DelayUntilAsync(due - shortWait / 2, stopping).ConfigureAwait(false);
                }
                else
                {
                    try
                    {
                        ok = await fineTimer.WaitForNextTickAsync(stopping).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        ok = false;
                    }
                }

                if (!ok)
                {
                    break;
                }

                continue;
            }

            k++;
            var record = due >= WarmUpEndTimestamp;

            // Dropped, never queued: a late start would hide the saturation it is caused by.
            if (Volatile.Read(ref _inFlight) >= max)
            {
                if (record)
                {
                    Stats.AddDropped();
                }

                continue;
            }

            Interlocked.Increment(ref _inFlight);
            if (!_pool.TryDequeue(out var ctx))
            {
                ctx = new ScenarioContext(this, Interlocked.Increment(ref _nextCopyId) - 1);
            }

            ctx.IntendedStart = due;
            ctx.Record = record;
            ThreadPool.UnsafeQueueUserWorkItem(ctx, preferLocal: false);
        }

        // Hold the scenario open until its timeline ends (a trailing Pause, the gap after the last start).
        await DelayUntilAsync(StartTimestamp + SecondsToTicks(schedule.TotalSeconds), stopping).ConfigureAwait(false);
        _dispatchDone = true;
        if (Volatile.Read(ref _inFlight) == 0)
        {
            _drained.TrySetResult();
        }

        await Engine.DrainAsync(_drained.Task).ConfigureAwait(false);
    }

    private async Task RunClosedAsync(CancellationToken stopping)
    {
        var phaseStart = StartTimestamp;
        var previousCopies = 0;
        foreach (var sim in Simulations)
        {
            if (stopping.IsCancellationRequested)
            {
                break;
            }

            var phaseEnd = phaseStart + SecondsToTicks(sim.During.TotalSeconds);
            switch (sim.Kind)
            {
                case LoadSimulationKind.KeepConstant:
                    SetDesired(sim.Copies, iterations: null);
                    await DelayUntilAsync(phaseEnd, stopping).ConfigureAwait(false);
                    previousCopies = sim.Copies;
                    break;
                case LoadSimulationKind.RampingConstant:
                    while (true)
                    {
                        var now = Time.GetTimestamp();
                        if (now >= phaseEnd)
                        {
                            break;
                        }

                        var fraction = (now - phaseStart) / (double)(phaseEnd - phaseStart);
                        SetDesired((int)Math.Round(previousCopies + (sim.Copies - previousCopies) * fraction), iterations: null);
                        var next = Math.Min(phaseEnd, now + SecondsToTicks(RampStep.TotalSeconds));
                        if (!await DelayUntilAsync(next, stopping).ConfigureAwait(false))
                        {
                            break;
                        }
                    }

                    SetDesired(sim.Copies, iterations: null);
                    previousCopies = sim.Copies;
                    break;
                case LoadSimulationKind.Iterations:
                    Task all;
                    lock (_gate)
                    {
                        SetDesired(sim.Copies, iterations: sim.IterationCount);
                        all = Task.WhenAll(_copyTasks);
                    }

                    try
                    {
                        await all.WaitAsync(stopping).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }

                    lock (_gate)
                    {
                        _iterationsMode = false;
                    }

                    previousCopies = sim.Copies;
                    phaseEnd = Time.GetTimestamp();
                    break;
                default:
                    SetDesired(0, iterations: null);
                    await DelayUntilAsync(phaseEnd, stopping).ConfigureAwait(false);
                    previousCopies = 0;
                    break;
            }

            phaseStart = phaseEnd;
        }

        Task remaining;
        lock (_gate)
        {
            _stopping = true;
            _desiredCopies = 0;
            remaining = Task.WhenAll(_copyTasks);
        }

        await Engine.DrainAsync(remaining).ConfigureAwait(false);
    }

    private void SetDesired(int copies, long? iterations)
    {
        lock (_gate)
        {
            _desiredCopies = copies;
            if (iterations is { } count)
            {
                _iterationsMode = true;
                _iterationsLeft = count;
            }

            for (var i = 0; i < copies; i++)
            {
                if (i == _copyTasks.Count)
                {
                    _copyTasks.Add(Task.CompletedTask);
                    _copyRunning.Add(false);
                    _copyContexts.Add(new ScenarioContext(this, i));
                }

                if (!_copyRunning[i])
                {
                    _copyRunning[i] = true;
                    var ctx = _copyContexts[i];
                    var id = i;
                    _copyTasks[i] = Task.Run(() => CopyLoopAsync(id, ctx));
                }
            }
        }
    }

    private async Task CopyLoopAsync(int id, ScenarioContext ctx)
    {
        var stopping = Engine.Stopping;
        while (true)
        {
            // Fast path without the lock: a stale read costs at most one extra iteration after a
            // ramp-down, while exits and counted iterations stay exact under the lock.
            if (!_iterationsMode && !_stopping && id < _desiredCopies && !stopping.IsCancellationRequested)
            {
                var begin = Time.GetTimestamp();
                ctx.Record = begin >= WarmUpEndTimestamp;
                await RunIterationAsync(ctx, begin).ConfigureAwait(false);
                continue;
            }

            lock (_gate)
            {
                var exhausted = _iterationsMode && _iterationsLeft <= 0;
                if (_stopping || id >= _desiredCopies || exhausted || Engine.Stopping.IsCancellationRequested)
                {
                    _copyRunning[id] = false;
                    return;
                }

                if (_iterationsMode)
                {
                    _iterationsLeft--;
                }
            }

            var start = Time.GetTimestamp();
            ctx.Record = start >= WarmUpEndTimestamp;
            await RunIterationAsync(ctx, start).ConfigureAwait(false);
        }
    }

    // Pooled state machines: the engine's own per-iteration work allocates nothing in steady state.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    internal async ValueTask RunIterationAsync(ScenarioContext ctx, long start)
    {
        ctx.InvocationNumber = Interlocked.Increment(ref _invocations) - 1;
        if (IsOpen && ctx.Record)
        {
            // start is the intended start: how late the dispatcher and the thread pool got this iteration going.
            Stats.RecordStartLag(ToMicros(Time.GetTimestamp() - start));
        }

        Response response;
        try
        {
            response = await Props.Run(ctx).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (RunToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            response = Response.Fail("exception", $"{ex.GetType().Name}: {ex.Message}");
            if (Interlocked.Increment(ref _loggedErrors) <= MaxLoggedErrors)
            {
                Logger.Error($"scenario \"{Props.Name}\" iteration {ctx.InvocationNumber} threw", ex);
            }
        }

        // An iteration cut short by the end of the run says nothing about the target.
        if (!ctx.Record || RunToken.IsCancellationRequested)
        {
            return;
        }

        var micros = ToMicros(Time.GetTimestamp() - start);
        Stats.Record(response, micros);
        if (Observer is { } observer)
        {
            observer.OnRequest(new RequestSample(Props.Name, null, response.IsOk, response.EffectiveStatusCode, micros, Time.GetUtcNow()));
        }

        if (response.IsFail && Props.MaxFailCount > 0 && Stats.Fail > Props.MaxFailCount)
        {
            Engine.Stop($"scenario \"{Props.Name}\" exceeded maxFailCount {Props.MaxFailCount}");
        }
    }

    private long SecondsToTicks(double seconds) => (long)Math.Round(seconds * Time.TimestampFrequency);

    /// <summary>Waits until the timestamp; false if stopped first.</summary>
    private async Task<bool> DelayUntilAsync(long timestamp, CancellationToken stopping)
    {
        while (true)
        {
            if (stopping.IsCancellationRequested)
            {
                return false;
            }

            var left = timestamp - Time.GetTimestamp();
            if (left <= 0)
            {
                return true;
            }

            var wait = TimeSpan.FromTicks(Math.Max(1, (long)Math.Ceiling(left * (double)TimeSpan.TicksPerSecond / Time.TimestampFrequency)));
            try
            {
                await Task.Delay(wait, Time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }
}

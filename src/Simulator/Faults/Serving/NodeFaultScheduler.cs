using PaySim.Simulator.Faults.Engine;

namespace PaySim.Simulator.Faults.Serving;

/// <summary>
/// Turns outage, flap and notServing rules into node state changes: on every tick of the
/// engine's <see cref="TimeProvider"/> (and whenever the rules change) it compares what the rules
/// want with what it last applied, and tells the host only about changes. Edge-triggered, so an
/// operator's manual down/up between changes is left alone.
/// </summary>
internal sealed class NodeFaultScheduler : IAsyncDisposable
{
    private readonly FaultEngine _engine;
    private readonly IReadOnlyList<string> _nodes;
    private readonly INodeFaultTarget _target;
    private readonly TimeSpan _tick;
    private readonly Dictionary<string, NodeFaultState> _applied = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _running = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;
    private int _pending;

    public NodeFaultScheduler(FaultEngine engine, IReadOnlyList<string> nodes, INodeFaultTarget target, TimeSpan? tick = null)
    {
        _engine = engine;
        _nodes = nodes;
        _target = target;
        _tick = tick ?? FaultDefaults.NodeStateTick;
        foreach (var node in nodes)
        {
            _applied[node] = NodeFaultState.None;
        }
    }

    /// <summary>Failures of the host while applying a state (logged by the host, never thrown into the timer).</summary>
    public event Action<string, NodeFaultState, Exception>? ApplyFailed;

    public void Start()
    {
        _engine.RulesChanged += OnRulesChanged;
        _timer = _engine.TimeProvider.CreateTimer(static s => ((NodeFaultScheduler)s!).Trigger(), this, _tick, _tick);
    }

    /// <summary>Evaluates every node now and applies the changes; tests call it after advancing a fake clock.</summary>
    public async Task TickAsync(CancellationToken cancellationToken = default)
    {
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var node in _nodes)
            {
                var wanted = _engine.GetNodeState(node);
                if (_applied[node] == wanted)
                {
                    continue;
                }

                try
                {
                    await _target.ApplyAsync(node, wanted, _stopping.Token).ConfigureAwait(false);
                    _applied[node] = wanted;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    ApplyFailed?.Invoke(node, wanted, ex);
                }
            }
        }
        finally
        {
            _running.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _engine.RulesChanged -= OnRulesChanged;
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void OnRulesChanged() => Trigger();

    // One tick at a time; a tick that arrives while one runs is coalesced into it.
    private void Trigger()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 1)
        {
            return;
        }

        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            Interlocked.Exchange(ref _pending, 0);
            await TickAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}

namespace PaySim.LoadEngine.Running;

/// <summary>
/// How late the harness's thread pool runs work. Every <see cref="Period"/> the probe queues one work item stamped with
/// the time and, when the item runs, reports how long it waited in the queue. A closed-model copy has no schedule to
/// fall behind, but every continuation of its iterations (after the target's reply) waits in that same queue, and so
/// does every open-model iteration and continuation: a starved pool shows here in either model, and the latency both
/// measure includes it. While an item is still waiting, each tick reports the wait so far, so a stall that outlasts the
/// run is still seen. One item is in the queue at a time; nothing is allocated per tick.
/// </summary>
internal sealed class DispatchProbe : IThreadPoolWorkItem, IDisposable
{
    /// <summary>How often the probe queues an item (the open-model dispatcher wakes every 1 ms; 10 ms keeps the probe's own cost negligible).</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);

    private readonly TimeProvider _time;
    private readonly Action<long> _report;
    private readonly Action<IThreadPoolWorkItem> _queue;
    private readonly object _gate = new();
    private ITimer? _timer;
    private bool _pending;
    private long _queuedAt;

    /// <param name="time">The engine's clock (its timer drives the ticks; its timestamps measure the wait).</param>
    /// <param name="report">Receives each wait in <paramref name="time"/>'s timestamp ticks.</param>
    /// <param name="queue">Queues the probe's item: the thread pool unless a test holds items to stand for a starved pool.</param>
    public DispatchProbe(TimeProvider time, Action<long> report, Action<IThreadPoolWorkItem>? queue = null)
    {
        _time = time;
        _report = report;
        _queue = queue ?? (static item => ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false));
    }

    public void Start() => _timer = _time.CreateTimer(static s => ((DispatchProbe)s!).Tick(), this, Period, Period);

    public void Dispose() => _timer?.Dispose();

    void IThreadPoolWorkItem.Execute()
    {
        long waited;
        lock (_gate)
        {
            waited = _time.GetTimestamp() - _queuedAt;
            _pending = false;
        }

        _report(waited);
    }

    private void Tick()
    {
        long waiting;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (!_pending)
            {
                _pending = true;
                _queuedAt = now;
                waiting = -1;
            }
            else
            {
                waiting = now - _queuedAt;
            }
        }

        if (waiting < 0)
        {
            _queue(this);
        }
        else
        {
            _report(waiting);
        }
    }
}

namespace PaySim.LoadEngine.Running;

/// <summary>
/// How late the harness's thread pool runs work. Every <see cref="Period"/> the probe queues one work item stamped with
/// the time and, when the item runs, reports how long it waited in the queue. A closed-model copy has no schedule to
/// fall behind, but every continuation of its iterations (after the target's reply) waits in that same queue, and so
/// does every open-model iteration and continuation: a starved pool shows here in either model, and the latency both
/// measure includes it. One item is in the queue at a time (a tick while it waits queues nothing); nothing is
/// allocated per tick.
/// </summary>
internal sealed class DispatchProbe : IThreadPoolWorkItem, IDisposable
{
    /// <summary>How often the probe queues an item (the open-model dispatcher wakes every 1 ms; 10 ms keeps the probe's own cost negligible).</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);

    private readonly TimeProvider _time;
    private readonly Action<long> _report;
    private readonly Action<IThreadPoolWorkItem> _queue;
    private ITimer? _timer;
    private int _pending;
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
        var waited = _time.GetTimestamp() - Volatile.Read(ref _queuedAt);
        Volatile.Write(ref _pending, 0);
        _report(waited);
    }

    private void Tick()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 1)
        {
            return;
        }

        Volatile.Write(ref _queuedAt, _time.GetTimestamp());
        _queue(this);
    }
}

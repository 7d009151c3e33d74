using System.Collections.Concurrent;

namespace PaySim.LoadTests.Reconciliation;

/// <summary>
/// The app's money calls, appended from the load's hot path: a lock-free queue (one compare-and-swap per call, no
/// lock, no per-call contention to speak of at load-test rates), read once when the run reconciles.
/// </summary>
internal sealed class AppCallLog
{
    private readonly ConcurrentQueue<AppCall> _calls = new();

    public void Add(AppCall call) => _calls.Enqueue(call);

    public IReadOnlyList<AppCall> Snapshot() => _calls.ToArray();
}

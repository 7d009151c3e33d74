using System.Collections.Concurrent;

namespace PaySim.LoadEngine;

/// <summary>
/// Things that happen to the system under test while a run lasts (a fault starts, a node comes back),
/// announced by the caller and shown by the live progress as they happen, NBomber-style: a line each in
/// plain output, the latest few under the table on a terminal. Thread-safe; pass it with
/// <see cref="LoadTestRunner.WithRunEvents"/>.
/// </summary>
public sealed class RunEvents
{
    private readonly ConcurrentQueue<string> _pending = new();
    private readonly ConcurrentQueue<string> _all = new();

    /// <summary>Announces an event now, e.g. "issuer-2 down" or "issuer-2 down ended".</summary>
    public void Announce(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        _pending.Enqueue(text);
        _all.Enqueue(text);
    }

    /// <summary>Every event announced so far, oldest first.</summary>
    public IReadOnlyList<string> All => _all.ToArray();

    /// <summary>The events announced since the last call (what the progress shows next).</summary>
    internal IReadOnlyList<string> TakeNew()
    {
        var list = new List<string>();
        while (_pending.TryDequeue(out var e))
        {
            list.Add(e);
        }

        return list;
    }
}

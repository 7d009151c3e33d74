namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// The last N calls, for debugging "why did this call fail?". Off unless a capacity is given:
/// recording takes a lock, which a load test should not pay for.
/// </summary>
public sealed class FaultJournal
{
    private readonly FaultJournalEntry[] _entries;
    private readonly Lock _lock = new();
    private long _written;

    public FaultJournal(int capacity)
    {
        if (capacity < 0 || capacity > FaultDefaults.MaxJournalCapacity)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"journal capacity must be 0–{FaultDefaults.MaxJournalCapacity}");
        }

        _entries = new FaultJournalEntry[capacity];
    }

    public bool Enabled => _entries.Length > 0;

    public int Capacity => _entries.Length;

    /// <summary>Calls recorded since start, including those that fell out of the window.</summary>
    public long Written => Interlocked.Read(ref _written);

    public void Record(in FaultJournalEntry entry)
    {
        if (_entries.Length == 0)
        {
            return;
        }

        lock (_lock)
        {
            _entries[_written % _entries.Length] = entry;
            _written++;
        }
    }

    /// <summary>The retained entries, oldest first.</summary>
    public FaultJournalEntry[] Snapshot()
    {
        lock (_lock)
        {
            var count = (int)Math.Min(_written, _entries.Length);
            var result = new FaultJournalEntry[count];
            var first = _written - count;
            for (var i = 0; i < count; i++)
            {
                result[i] = _entries[(first + i) % _entries.Length];
            }

            return result;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            Array.Clear(_entries);
            _written = 0;
        }
    }
}

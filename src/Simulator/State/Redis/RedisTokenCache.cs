using System.Collections.Concurrent;

namespace PaySim.Simulator.State.Redis;

/// <summary>
/// Confirmed card token → PAN, per process, so the load path does not GET the token on every Authorize.
/// A confirmed token never points elsewhere (SET NX), but a Reset in any process deletes it. Each entry
/// remembers the reset epoch (<see cref="RedisKeys.ResetEpoch"/>) it was read under, in the same MGET
/// as the token; the hold script compares it with the epoch its account was loaded under and re-reads
/// the token itself when they differ, so a token cleared by a reset elsewhere never authorizes here.
/// Only found tokens are cached; unknown tokens always go to Redis.
/// </summary>
internal sealed class RedisTokenCache(int capacity = RedisTokenCache.DefaultCapacity)
{
    // One entry per bound card a load test uses: far more than any run binds, small enough (~200 B each).
    public const int DefaultCapacity = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public bool TryGet(string token, out Entry entry) => _entries.TryGetValue(token, out entry!);

    public void Add(string token, string pan, string epoch)
    {
        if (_entries.TryGetValue(token, out var known) && known.Pan == pan)
        {
            known.Epoch = epoch;
            return;
        }

        // Counting adds instead of asking the dictionary (Count takes every lock); when full, start over:
        // a miss costs one MGET, and a bound that never grows matters more than a warm cache.
        if (Interlocked.Increment(ref _count) > capacity)
        {
            Clear();
            Interlocked.Increment(ref _count);
        }

        _entries[token] = new Entry(pan, epoch);
    }

    public void Remove(string token) => _entries.TryRemove(token, out _);

    public void Clear()
    {
        _entries.Clear();
        Volatile.Write(ref _count, 0);
    }

    /// <summary>The PAN, and the reset epoch it was last confirmed under (updated by the hold script's reply).</summary>
    internal sealed class Entry(string pan, string epoch)
    {
        private string _epoch = epoch;

        public string Pan { get; } = pan;

        public string Epoch
        {
            get => Volatile.Read(ref _epoch);
            set => Volatile.Write(ref _epoch, value);
        }
    }
}

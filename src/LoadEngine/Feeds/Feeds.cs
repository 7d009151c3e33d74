namespace PaySim.LoadEngine.Feeds;

internal sealed class CircularFeed<T>(T[] items) : IDataFeed<T>
{
    private long _next = -1;

    public T GetNextItem(IScenarioContext context) => items[(int)((ulong)Interlocked.Increment(ref _next) % (ulong)items.Length)];

    public bool TryGetNextItem(IScenarioContext context, out T item)
    {
        item = GetNextItem(context);
        return true;
    }
}

internal sealed class RandomFeed<T>(T[] items, int seed) : IDataFeed<T>
{
    private long _next = -1;

    // A counter hashed with SplitMix64 instead of a shared Random: lock-free, and draw n is the
    // same item in every run with this seed whatever the thread interleaving.
    public T GetNextItem(IScenarioContext context)
    {
        var n = (ulong)Interlocked.Increment(ref _next);
        var z = unchecked(n + 0x9E3779B97F4A7C15UL * (ulong)(uint)seed + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return items[(int)(z % (ulong)items.Length)];
    }

    public bool TryGetNextItem(IScenarioContext context, out T item)
    {
        item = GetNextItem(context);
        return true;
    }
}

internal sealed class OnceFeed<T>(T[] items) : IDataFeed<T>
{
    private long _next = -1;

    public T GetNextItem(IScenarioContext context) =>
        TryGetNextItem(context, out var item) ? item : throw new InvalidOperationException($"data feed exhausted: all {items.Length} items were used once.");

    public bool TryGetNextItem(IScenarioContext context, out T item)
    {
        var i = Interlocked.Increment(ref _next);
        if (i < items.Length)
        {
            item = items[i];
            return true;
        }

        item = default!;
        return false;
    }
}

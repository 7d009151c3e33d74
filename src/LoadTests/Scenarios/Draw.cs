namespace PaySim.LoadTests.Scenarios;

/// <summary>
/// Reproducible draws without a shared Random: a SplitMix64 hash of (seed, stream, counter), so
/// concurrent iterations never contend and the same seed replays the same choices.
/// </summary>
internal static class Draw
{
    public static double Unit(int seed, int stream, long counter)
    {
        var x = Mix((ulong)(uint)seed << 32 ^ (ulong)(uint)stream) ^ Mix((ulong)counter + 0x9E3779B97F4A7C15UL);
        return (Mix(x) >> 11) * (1.0 / (1UL << 53));
    }

    public static long Between(int seed, int stream, long counter, long min, long max) =>
        min + (long)Math.Floor(Unit(seed, stream, counter) * (max - min + 1));

    /// <summary>Picks a key with probability proportional to its weight.</summary>
    public static T Weighted<T>(IReadOnlyList<(T Item, double Weight)> items, double unit)
    {
        var total = items.Sum(i => i.Weight);
        var target = unit * total;
        foreach (var (item, weight) in items)
        {
            if (target < weight)
            {
                return item;
            }

            target -= weight;
        }

        return items[^1].Item;
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

namespace PaySim.Wallet.Balancing;

/// <summary>
/// A thread-safe, lock-free, reproducible random source (SplitMix64 over an atomic counter): the same seed and
/// the same order of calls give the same picks.
/// </summary>
internal sealed class SeededRandom(long seed)
{
    private long _state = seed;

    public int Next(int maxExclusive)
    {
        var z = (ulong)Interlocked.Add(ref _state, unchecked((long)0x9E3779B97F4A7C15UL));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z % (ulong)maxExclusive);
    }
}

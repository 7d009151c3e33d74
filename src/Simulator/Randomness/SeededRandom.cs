namespace PaySim.Simulator.Randomness;

/// <summary>A seeded random source shared by concurrent handlers; a lock keeps System.Random consistent.</summary>
internal sealed class SeededRandom(int seed)
{
    private readonly Random _random = new(seed);
    private readonly Lock _gate = new();

    public int Next(int maxExclusive)
    {
        lock (_gate)
        {
            return _random.Next(maxExclusive);
        }
    }

    public double NextDouble()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }

    public string Hex(int chars)
    {
        Span<byte> bytes = stackalloc byte[(chars + 1) / 2];
        lock (_gate)
        {
            _random.NextBytes(bytes);
        }

        return Convert.ToHexStringLower(bytes)[..chars];
    }
}

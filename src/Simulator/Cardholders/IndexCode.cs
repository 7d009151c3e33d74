namespace PaySim.Simulator.Cardholders;

/// <summary>
/// A keyed permutation of the numbers below 10^(2 × halfDigits) (a four-round Feistel network on two
/// decimal halves): it turns a cardholder's index into digits that look random, and back, so the issuer
/// finds card #i by its PAN or phone with arithmetic instead of a table.
/// </summary>
internal sealed class IndexCode
{
    private const int Rounds = 4;
    private readonly long _half;
    private readonly ulong[] _keys = new ulong[Rounds];

    public IndexCode(int seed, int halfDigits, ulong purpose)
    {
        _half = 1;
        for (var i = 0; i < halfDigits; i++)
        {
            _half *= 10;
        }

        for (var i = 0; i < Rounds; i++)
        {
            _keys[i] = Mix(((ulong)(uint)seed << 32) ^ purpose ^ ((ulong)i * 0x9E3779B97F4A7C15UL));
        }
    }

    /// <summary>How many numbers the code permutes (10^(2 × halfDigits)).</summary>
    public long Size => _half * _half;

    public long Encode(long value)
    {
        long left = value / _half, right = value % _half;
        for (var i = 0; i < Rounds; i++)
        {
            (left, right) = (right, (left + Round(right, i)) % _half);
        }

        return (left * _half) + right;
    }

    public long Decode(long code)
    {
        long left = code / _half, right = code % _half;
        for (var i = Rounds - 1; i >= 0; i--)
        {
            (left, right) = ((right - Round(left, i) + _half) % _half, left);
        }

        return (left * _half) + right;
    }

    private long Round(long half, int round) => (long)(Mix((ulong)half ^ _keys[round]) % (ulong)_half);

    private static ulong Mix(ulong z)
    {
        // SplitMix64 finaliser.
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

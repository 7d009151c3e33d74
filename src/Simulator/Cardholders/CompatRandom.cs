using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PaySim.Simulator.Cardholders;

/// <summary>
/// The sequence <c>new System.Random(seed)</c> draws (the seeded, .NET 5 compatible algorithm: Knuth's
/// subtractive generator as .NET has always run it), as a value type for the cardholder generator, which
/// seeds one per card. The 56-number state lives inline, so a card allocates nothing for its draws, and
/// seeding runs without branches: System.Random's seeding mispredicts a branch on about half of its
/// ~275 steps, and that was two thirds of a card's cost.
/// Next(), Next(max), Next(min, max) and NextDouble() return exactly what System.Random returns for
/// the same seed and the same calls (CompatRandomTests compare them over many seeds and call mixes).
/// A mutable struct: pass it by <c>ref</c>, never copy it.
/// </summary>
internal struct CompatRandom
{
    private const int Modulus = int.MaxValue;

    private State _state;
    private int _next;
    private int _nextP;

    public CompatRandom(int seed)
        : this(seed, Vector256.IsHardwareAccelerated)
    {
    }

    /// <summary>Seeds with the mixing passes vectorised or not (the tests check both against System.Random).</summary>
    internal CompatRandom(int seed, bool vectorized)
    {
        // Knuth's seeding: a Fibonacci-like sequence from the seed, spread over slots 1..55 in steps of 21
        // (slot 0 is never used), then four mixing passes. Every "if negative, add the modulus" is done
        // without a branch: the sign is a coin toss, and mispredicting it made seeding (not drawing) most
        // of a card's cost, in System.Random as here.
        Span<int> s = _state;
        var mj = 161_803_398 - (seed == int.MinValue ? int.MaxValue : Math.Abs(seed));
        s[55] = mj;
        var mk = 1;
        var slot = 0;
        for (var i = 1; i < 55; i++)
        {
            slot += 21;
            if (slot >= 55)
            {
                slot -= 55;
            }

            s[slot] = mk;
            (mj, mk) = (mk, Wrap(mj - mk));
        }

        for (var pass = 1; pass < 5; pass++)
        {
            // Slot i subtracts slot 1 + (i + 30) mod 55: slots 32..55 for i = 1..24, then slots 1..31
            // (already mixed in this pass, 24 slots back) for i = 25..55.
            if (vectorized)
            {
                // 8 slots at a time: slots 1..24 read 32..55, which this pass has not touched yet; a vector
                // of slots i..i+7 from 25 on reads i-24..i-17, all written by an earlier vector. The last
                // one spills into the scratch slot 56, which no draw reads.
                var modulus = Vector256.Create(Modulus);
                for (var i = 1; i <= 17; i += 8)
                {
                    WrapSubtract8(s, i, i + 31, modulus);
                }

                for (var i = 25; i <= 49; i += 8)
                {
                    WrapSubtract8(s, i, i - 24, modulus);
                }
            }
            else
            {
                for (var i = 1; i <= 24; i++)
                {
                    s[i] = Wrap(s[i] - s[i + 31]);
                }

                for (var i = 25; i <= 55; i++)
                {
                    s[i] = Wrap(s[i] - s[i - 24]);
                }
            }
        }

        _next = 0;
        _nextP = 21;
    }

    /// <summary>As <see cref="Random.Next()"/>: 0 ≤ value &lt; int.MaxValue.</summary>
    public int Next() => Sample();

    /// <summary>As <see cref="Random.Next(int)"/>.</summary>
    public int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)(NextDouble() * maxValue);
    }

    /// <summary>As <see cref="Random.Next(int, int)"/>.</summary>
    public int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        var range = (long)maxValue - minValue;
        return range <= int.MaxValue
            ? (int)(NextDouble() * range) + minValue
            : (int)((long)(LargeRangeSample() * range) + minValue);
    }

    /// <summary>As <see cref="Random.NextDouble"/>.</summary>
    public double NextDouble() => Sample() * (1.0 / Modulus);

    private int Sample()
    {
        Span<int> s = _state;
        var next = _next + 1 >= 56 ? 1 : _next + 1;
        var nextP = _nextP + 1 >= 56 ? 1 : _nextP + 1;
        var value = s[next] - s[nextP];
        if (value == Modulus)
        {
            value--;
        }

        value = Wrap(value);
        s[next] = value;
        _next = next;
        _nextP = nextP;
        return value;
    }

    // A range wider than int.MaxValue: two samples, the second picks the sign (as System.Random does).
    private double LargeRangeSample()
    {
        var result = Sample();
        if (Sample() % 2 == 0)
        {
            result = -result;
        }

        return (result + (double)(int.MaxValue - 1)) / ((2u * int.MaxValue) - 1);
    }

    // value < 0 ? value + Modulus : value, without a branch (the arithmetic shift is all ones when negative).
    private static int Wrap(int value) => value + ((value >> 31) & Modulus);

    // s[at..at+7] = Wrap(s[at..at+7] - s[from..from+7]), 8 lanes at once.
    private static void WrapSubtract8(Span<int> s, int at, int from, Vector256<int> modulus)
    {
        var difference = Vector256.Create<int>(s.Slice(at, 8)) - Vector256.Create<int>(s.Slice(from, 8));
        (difference + (Vector256.ShiftRightArithmetic(difference, 31) & modulus)).CopyTo(s.Slice(at, 8));
    }

    // Slots 1..55 are the generator's state (0 is unused, as in System.Random), 56 is scratch for the vectorised seeding.
    [InlineArray(57)]
    private struct State
    {
        private int _slot0;
    }
}

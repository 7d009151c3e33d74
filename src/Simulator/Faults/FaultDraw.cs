using System.Runtime.CompilerServices;

namespace PaySim.Simulator.Faults;

/// <summary>
/// Reproducible, independent draws without shared state: a draw is a pure function of
/// (seed, rule name, node, method, sequence number, purpose). Two rules never share a stream, a
/// replay with the same seed and the same per-slot call order yields the same decisions, and
/// concurrent callers never contend on a Random.
/// </summary>
internal static class FaultDraw
{
    public const ulong PurposeTrigger = 0x1;
    public const ulong PurposeSample1 = 0x2;
    public const ulong PurposeSample2 = 0x3;
    public const ulong PurposeChoice = 0x4;

    /// <summary>The per-(rule, node, method) stream key, computed once when the rules are indexed.</summary>
    public static ulong SlotKey(ulong seed, string rule, string node, string method)
    {
        var key = Mix(seed ^ 0x5EED_F00D_CAFE_D00DUL);
        key = Mix(key ^ Fnv(rule));
        key = Mix(key ^ Fnv(node));
        return Mix(key ^ Fnv(method));
    }

    /// <summary>A uniform double in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Unit(ulong slotKey, long sequence, ulong purpose)
    {
        var x = Mix(slotKey + ((ulong)sequence * 0x9E37_79B9_7F4A_7C15UL) + (purpose * 0xD1B5_4A32_D192_ED03UL));
        return (x >> 11) * (1.0 / (1UL << 53));
    }

    // SplitMix64's finaliser: a bijection with full avalanche, so consecutive inputs give unrelated outputs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong x)
    {
        x += 0x9E37_79B9_7F4A_7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return x ^ (x >> 31);
    }

    // string.GetHashCode is randomised per process; replays need a hash that is the same everywhere.
    private static ulong Fnv(string text)
    {
        var hash = 0xCBF2_9CE4_8422_2325UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 0x0000_0100_0000_01B3UL;
        }

        return hash;
    }
}

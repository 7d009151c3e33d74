using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// Word operations on the candidate bitmasks of a <see cref="FaultSlotFilter"/>: bit i of a mask
/// stands for slot i. The dense operations run four words at a time where the hardware allows,
/// so a 10,000-rule mask (157 words) costs about 40 vector steps; the sparse ones touch only the
/// words a <see cref="FaultSparseMasks"/> set holds, whatever the mask's length.
/// <para>
/// No summary of the non-zero words: rules are interleaved (each list mixes every kind of rule in
/// the order applied), so after the first pass nearly every word is still non-zero and a summary
/// would only add work; a dense pass is at most 64 vector steps (16,384 slots).
/// </para>
/// </summary>
internal static class FaultMask
{
    public static void Set(Span<ulong> mask, int index) => mask[index >> 6] |= 1UL << (index & 63);

    /// <summary>mask &amp;= other; false when nothing is left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool And(Span<ulong> mask, ReadOnlySpan<ulong> other) => AndWords(mask, other[..mask.Length]) != 0;

    /// <summary>mask = a &amp; b; false when nothing is set.</summary>
    public static bool AndInto(Span<ulong> mask, ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        a = a[..mask.Length];
        b = b[..mask.Length];
        var w = 0;
        var any = 0UL;
        if (Vector256.IsHardwareAccelerated && mask.Length >= Vector256<ulong>.Count)
        {
            var m = MemoryMarshal.Cast<ulong, Vector256<ulong>>(mask);
            var va = MemoryMarshal.Cast<ulong, Vector256<ulong>>(a);
            var vb = MemoryMarshal.Cast<ulong, Vector256<ulong>>(b);
            var acc = Vector256<ulong>.Zero;
            for (var v = 0; v < m.Length; v++)
            {
                acc |= m[v] = va[v] & vb[v];
            }

            any = acc == Vector256<ulong>.Zero ? 0UL : 1UL;
            w = m.Length * Vector256<ulong>.Count;
        }

        for (; w < mask.Length; w++)
        {
            any |= mask[w] = a[w] & b[w];
        }

        return any != 0;
    }

    /// <summary>True when some bit is set.</summary>
    public static bool Any(ReadOnlySpan<ulong> mask)
    {
        var w = 0;
        if (Vector256.IsHardwareAccelerated && mask.Length >= Vector256<ulong>.Count)
        {
            var m = MemoryMarshal.Cast<ulong, Vector256<ulong>>(mask);
            var acc = Vector256<ulong>.Zero;
            for (var v = 0; v < m.Length; v++)
            {
                acc |= m[v];
            }

            if (acc != Vector256<ulong>.Zero)
            {
                return true;
            }

            w = m.Length * Vector256<ulong>.Count;
        }

        var any = 0UL;
        for (; w < mask.Length; w++)
        {
            any |= mask[w];
        }

        return any != 0;
    }

    /// <summary>
    /// mask &amp;= dense | the sparse set (<paramref name="words"/>, <paramref name="bits"/>):
    /// the dense AND runs between the set's words, which are ascending. False when nothing is left.
    /// </summary>
    public static bool AndEither(Span<ulong> mask, ReadOnlySpan<ulong> dense, ReadOnlySpan<int> words, ReadOnlySpan<ulong> bits)
    {
        dense = dense[..mask.Length];
        var any = 0UL;
        var from = 0;
        for (var j = 0; j < words.Length; j++)
        {
            var w = words[j];
            any |= AndWords(mask[from..w], dense[from..w]);
            any |= mask[w] &= dense[w] | bits[j];
            from = w + 1;
        }

        any |= AndWords(mask[from..], dense[from..]);
        return any != 0;
    }

    /// <summary>
    /// Clears the bits of the sparse set <paramref name="asks"/> that <paramref name="keep"/> does
    /// not hold (keep's words are a subset of asks' words, both ascending); words outside asks are
    /// not touched.
    /// </summary>
    public static void AndNot(Span<ulong> mask, ReadOnlySpan<int> asksWords, ReadOnlySpan<ulong> asksBits, ReadOnlySpan<int> keepWords, ReadOnlySpan<ulong> keepBits)
    {
        var k = 0;
        for (var j = 0; j < asksWords.Length; j++)
        {
            var w = asksWords[j];
            var keep = 0UL;
            if (k < keepWords.Length && keepWords[k] == w)
            {
                keep = keepBits[k++];
            }

            mask[w] &= ~asksBits[j] | keep;
        }
    }

    /// <summary>mask |= the sparse set.</summary>
    public static void Or(Span<ulong> mask, ReadOnlySpan<int> words, ReadOnlySpan<ulong> bits)
    {
        for (var j = 0; j < words.Length; j++)
        {
            mask[words[j]] |= bits[j];
        }
    }

    private static ulong AndWords(Span<ulong> mask, ReadOnlySpan<ulong> other)
    {
        var w = 0;
        var any = 0UL;
        if (Vector256.IsHardwareAccelerated && mask.Length >= Vector256<ulong>.Count)
        {
            var m = MemoryMarshal.Cast<ulong, Vector256<ulong>>(mask);
            var o = MemoryMarshal.Cast<ulong, Vector256<ulong>>(other);
            var acc = Vector256<ulong>.Zero;
            for (var v = 0; v < m.Length; v++)
            {
                acc |= m[v] &= o[v];
            }

            any = acc == Vector256<ulong>.Zero ? 0UL : 1UL;
            w = m.Length * Vector256<ulong>.Count;
        }

        for (; w < mask.Length; w++)
        {
            any |= mask[w] &= other[w];
        }

        return any;
    }
}

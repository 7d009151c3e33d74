using System.Collections.Frozen;
using System.Numerics;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// The panPrefix dimension of a <see cref="FaultSlotFilter"/>: a mask per distinct prefix. A few
/// prefixes are tried with StartsWith; many are looked up once per distinct prefix length, so
/// the cost stays bounded by the lengths (at most a card number's) rather than the rules.
/// </summary>
internal sealed class FaultPrefixMasks
{
    private const int MaxLinear = 8;

    private readonly string[] _prefixes;
    private readonly ulong[] _masks;
    private readonly ulong[] _unconstrained;
    private readonly int[]? _lengths;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _byPrefix;
    private readonly int _words;

    public FaultPrefixMasks(FaultSlot[] slots, int words)
    {
        _words = words;
        _unconstrained = new ulong[words];
        var prefixes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i].PanPrefix is { } prefix)
            {
                prefixes.TryAdd(prefix, prefixes.Count);
            }
            else
            {
                FaultSlotFilter.Set(_unconstrained, i);
            }
        }

        _prefixes = new string[prefixes.Count];
        foreach (var (prefix, index) in prefixes)
        {
            _prefixes[index] = prefix;
        }

        // Masks hold only the slots with that very prefix: a card can start with several.
        _masks = new ulong[prefixes.Count * words];
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i].PanPrefix is { } prefix)
            {
                FaultSlotFilter.Set(_masks.AsSpan(prefixes[prefix] * words, words), i);
            }
        }

        if (prefixes.Count > MaxLinear)
        {
            _lengths = prefixes.Keys.Select(p => p.Length).Distinct().Order().ToArray();
            _byPrefix = prefixes.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        }
    }

    /// <summary>mask &amp;= the slots that accept <paramref name="pan"/>; false when nothing is left.</summary>
    public bool And(string? pan, Span<ulong> mask)
    {
        if (pan is null)
        {
            return FaultSlotFilter.And(mask, _unconstrained);
        }

        if (_lengths is null)
        {
            // Few prefixes: note which hold, then AND word by word without a scratch mask.
            var held = 0U;
            for (var p = 0; p < _prefixes.Length; p++)
            {
                if (pan.StartsWith(_prefixes[p], StringComparison.Ordinal))
                {
                    held |= 1U << p;
                }
            }

            if (held == 0)
            {
                return FaultSlotFilter.And(mask, _unconstrained);
            }

            var any = 0UL;
            for (var w = 0; w < mask.Length; w++)
            {
                var accepted = _unconstrained[w];
                for (var bits = held; bits != 0; bits &= bits - 1)
                {
                    accepted |= _masks[(BitOperations.TrailingZeroCount(bits) * _words) + w];
                }

                any |= mask[w] &= accepted;
            }

            return any != 0;
        }

        Span<ulong> scratch = stackalloc ulong[_words];
        _unconstrained.CopyTo(scratch);
        foreach (var length in _lengths)
        {
            if (length > pan.Length)
            {
                break;
            }

            if (_byPrefix.TryGetValue(pan.AsSpan(0, length), out var p))
            {
                Or(scratch, p);
            }
        }

        return FaultSlotFilter.And(mask, scratch);
    }

    private void Or(Span<ulong> accepted, int prefix)
    {
        var mask = _masks.AsSpan(prefix * _words, _words);
        for (var w = 0; w < accepted.Length; w++)
        {
            accepted[w] |= mask[w];
        }
    }
}

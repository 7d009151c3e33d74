using System.Collections.Frozen;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// The panPrefix dimension of a <see cref="FaultSlotFilter"/>: the slots without a prefix as one
/// dense mask and, per distinct prefix, only the slots with that very prefix (sparse: memory grows
/// with the rules). A few prefixes are tried with StartsWith; many are looked up once per distinct
/// prefix length, so the cost stays bounded by the lengths (at most a card number's) rather than
/// the rules.
/// </summary>
internal sealed class FaultPrefixMasks
{
    private const int MaxLinear = 8;

    private readonly string[] _prefixes;
    private readonly FaultSparseMasks _own;
    private readonly ulong[] _unconstrained;
    private readonly int[]? _lengths;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _byPrefix;

    public FaultPrefixMasks(FaultSlot[] slots, int words)
    {
        _unconstrained = new ulong[words];
        var prefixes = new Dictionary<string, int>(StringComparer.Ordinal);
        var own = new List<List<int>>();
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i].PanPrefix is { } prefix)
            {
                if (!prefixes.TryGetValue(prefix, out var index))
                {
                    index = prefixes.Count;
                    prefixes.Add(prefix, index);
                    own.Add([]);
                }

                own[index].Add(i);
            }
            else
            {
                FaultMask.Set(_unconstrained, i);
            }
        }

        _prefixes = new string[prefixes.Count];
        foreach (var (prefix, index) in prefixes)
        {
            _prefixes[index] = prefix;
        }

        // Sets hold only the slots with that very prefix: a card can start with several.
        _own = new FaultSparseMasks(own);
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
            return FaultMask.And(mask, _unconstrained);
        }

        // The prefixes the card starts with (at most one per length): usually none or one, which
        // need no scratch mask; several are OR-ed into one on a second pass.
        var held = -1;
        var next = 0;
        while ((next = Next(pan, next, out var p)) >= 0)
        {
            if (held >= 0)
            {
                return AndSeveral(pan, mask);
            }

            held = p;
        }

        return held < 0
            ? FaultMask.And(mask, _unconstrained)
            : FaultMask.AndEither(mask, _unconstrained, _own.Words(held), _own.Bits(held));
    }

    /// <summary>
    /// The next prefix <paramref name="pan"/> starts with, from position <paramref name="from"/>
    /// (a prefix index, or a length index when there are many): the position to go on from, or -1.
    /// </summary>
    private int Next(string pan, int from, out int prefix)
    {
        if (_lengths is null)
        {
            for (var p = from; p < _prefixes.Length; p++)
            {
                if (pan.StartsWith(_prefixes[p], StringComparison.Ordinal))
                {
                    prefix = p;
                    return p + 1;
                }
            }
        }
        else
        {
            for (var l = from; l < _lengths.Length && _lengths[l] <= pan.Length; l++)
            {
                if (_byPrefix.TryGetValue(pan.AsSpan(0, _lengths[l]), out prefix))
                {
                    return l + 1;
                }
            }
        }

        prefix = -1;
        return -1;
    }

    private bool AndSeveral(string pan, Span<ulong> mask)
    {
        // Their union with the unconstrained slots in a scratch mask (at most
        // FaultSlotFilter.MaxWords words, 2 KB, on the stack).
        Span<ulong> accepted = stackalloc ulong[mask.Length];
        _unconstrained.AsSpan(0, mask.Length).CopyTo(accepted);
        var next = 0;
        while ((next = Next(pan, next, out var p)) >= 0)
        {
            FaultMask.Or(accepted, _own.Words(p), _own.Bits(p));
        }

        return FaultMask.And(mask, accepted);
    }
}

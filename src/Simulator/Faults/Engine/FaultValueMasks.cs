using System.Collections.Frozen;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// One exact-match dimension of a <see cref="FaultSlotFilter"/> (pan, phone): the slots that do
/// not constrain the field as one dense mask, and per distinct value only the slots that ask for
/// it (<see cref="FaultSparseMasks"/>), so a call costs one look-up and one pass over the mask,
/// and memory grows with the rules, not with rules × distinct values.
/// </summary>
internal sealed class FaultValueMasks
{
    private readonly FrozenDictionary<string, int> _values;
    private readonly FaultSparseMasks _own;
    private readonly ulong[] _unconstrained;

    public FaultValueMasks(FaultSlot[] slots, int words, Func<FaultSlot, string?> field)
    {
        _unconstrained = new ulong[words];
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        var own = new List<List<int>>();
        for (var i = 0; i < slots.Length; i++)
        {
            if (field(slots[i]) is { } value)
            {
                if (!values.TryGetValue(value, out var index))
                {
                    index = values.Count;
                    values.Add(value, index);
                    own.Add([]);
                }

                own[index].Add(i);
            }
            else
            {
                FaultMask.Set(_unconstrained, i);
            }
        }

        _own = new FaultSparseMasks(own);
        _values = values.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>mask &amp;= the slots that accept <paramref name="value"/> (null: the call does not carry the field); false when nothing is left.</summary>
    public bool And(string? value, Span<ulong> mask) =>
        value is not null && _values.TryGetValue(value, out var index)
            ? FaultMask.AndEither(mask, _unconstrained, _own.Words(index), _own.Bits(index))
            : FaultMask.And(mask, _unconstrained);
}

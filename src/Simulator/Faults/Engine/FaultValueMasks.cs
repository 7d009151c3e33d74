using System.Collections.Frozen;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// One exact-match dimension of a <see cref="FaultSlotFilter"/> (pan, phone): a mask per distinct
/// value, each including the slots that do not constrain the field, so a call costs one look-up.
/// </summary>
internal sealed class FaultValueMasks
{
    private readonly FrozenDictionary<string, int> _values;
    private readonly ulong[] _masks;
    private readonly ulong[] _unconstrained;
    private readonly int _words;

    public FaultValueMasks(FaultSlot[] slots, int words, Func<FaultSlot, string?> field)
    {
        _words = words;
        _unconstrained = new ulong[words];
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < slots.Length; i++)
        {
            if (field(slots[i]) is { } value)
            {
                values.TryAdd(value, values.Count);
            }
            else
            {
                FaultSlotFilter.Set(_unconstrained, i);
            }
        }

        _masks = new ulong[values.Count * words];
        foreach (var index in values.Values)
        {
            _unconstrained.CopyTo(_masks.AsSpan(index * words, words));
        }

        for (var i = 0; i < slots.Length; i++)
        {
            if (field(slots[i]) is { } value)
            {
                FaultSlotFilter.Set(_masks.AsSpan(values[value] * words, words), i);
            }
        }

        _values = values.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The slots that accept <paramref name="value"/> (null: the call does not carry the field).</summary>
    public ReadOnlySpan<ulong> Select(string? value) =>
        value is not null && _values.TryGetValue(value, out var index)
            ? _masks.AsSpan(index * _words, _words)
            : _unconstrained;
}

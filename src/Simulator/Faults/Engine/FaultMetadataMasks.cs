using System.Collections.Frozen;
using Grpc.Core;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// The metadata dimension of a <see cref="FaultSlotFilter"/>: per distinct header name, the slots
/// that do not ask for it and a mask per value asked for. A call reads each named header once
/// (as <see cref="FaultMatch.Matches"/> does), whatever the number of rules; a call without
/// metadata keeps only the slots that ask for none.
/// </summary>
internal sealed class FaultMetadataMasks
{
    private readonly string[] _keys;
    private readonly ulong[] _without;
    private readonly FrozenDictionary<string, int>[] _values;
    private readonly ulong[][] _masks;
    private readonly ulong[] _noMetadata;
    private readonly int _words;

    public FaultMetadataMasks(FaultSlot[] slots, int words)
    {
        _words = words;
        _noMetadata = new ulong[words];
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i].Metadata is null)
            {
                FaultSlotFilter.Set(_noMetadata, i);
            }
        }

        _keys = slots.Where(s => s.Metadata is not null)
            .SelectMany(s => s.Metadata!.Select(m => m.Key))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        _without = new ulong[_keys.Length * words];
        _values = new FrozenDictionary<string, int>[_keys.Length];
        _masks = new ulong[_keys.Length][];
        for (var k = 0; k < _keys.Length; k++)
        {
            var key = _keys[k];
            var without = _without.AsSpan(k * words, words);
            var values = new Dictionary<string, int>(StringComparer.Ordinal);
            var wanted = new List<(int Slot, string Value)>();
            for (var i = 0; i < slots.Length; i++)
            {
                var asked = slots[i].Metadata?.Where(m => m.Key == key).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToArray() ?? [];
                switch (asked.Length)
                {
                    case 0:
                        FaultSlotFilter.Set(without, i);
                        break;
                    case 1:
                        values.TryAdd(asked[0], values.Count);
                        wanted.Add((i, asked[0]));
                        break;

                    // Two different values for one header can never both hold: the slot is in no mask.
                }
            }

            var masks = new ulong[values.Count * words];
            foreach (var (slot, value) in wanted)
            {
                FaultSlotFilter.Set(masks.AsSpan(values[value] * words, words), slot);
            }

            _values[k] = values.ToFrozenDictionary(StringComparer.Ordinal);
            _masks[k] = masks;
        }
    }

    /// <summary>mask &amp;= the slots whose metadata the call carries; false when nothing is left.</summary>
    public bool And(Metadata? headers, Span<ulong> mask)
    {
        if (headers is null)
        {
            return FaultSlotFilter.And(mask, _noMetadata);
        }

        for (var k = 0; k < _keys.Length; k++)
        {
            var without = _without.AsSpan(k * _words, _words);
            var entry = headers.Get(_keys[k]);
            if (entry is null || entry.IsBinary || !_values[k].TryGetValue(entry.Value, out var value))
            {
                if (!FaultSlotFilter.And(mask, without))
                {
                    return false;
                }

                continue;
            }

            var accepted = _masks[k].AsSpan(value * _words, _words);
            var any = 0UL;
            for (var w = 0; w < mask.Length; w++)
            {
                any |= mask[w] &= without[w] | accepted[w];
            }

            if (any == 0)
            {
                return false;
            }
        }

        return true;
    }
}

using System.Collections.Frozen;
using Grpc.Core;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// The metadata dimension of a <see cref="FaultSlotFilter"/>: per distinct header name, the slots
/// that ask for it and, per value asked for, the slots that ask for that value (both sparse, so
/// memory grows with the rules and a header touches only the words of the rules that name it). A
/// call reads each named header once (as <see cref="FaultMatch.Matches"/> does), whatever the
/// number of rules; a call without metadata keeps only the slots that ask for none.
/// </summary>
internal sealed class FaultMetadataMasks
{
    private readonly string[] _keys;
    private readonly FaultSparseMasks _asks;
    private readonly FrozenDictionary<string, int>[] _values;
    private readonly FaultSparseMasks[] _wanted;
    private readonly ulong[] _noMetadata;

    public FaultMetadataMasks(FaultSlot[] slots, int words)
    {
        _noMetadata = new ulong[words];
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i].Metadata is null)
            {
                FaultMask.Set(_noMetadata, i);
            }
        }

        _keys = slots.Where(s => s.Metadata is not null)
            .SelectMany(s => s.Metadata!.Select(m => m.Key))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var keyIndex = _keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i, StringComparer.Ordinal);
        var asks = _keys.Select(_ => new List<int>()).ToArray();
        var values = _keys.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        var wanted = _keys.Select(_ => new List<List<int>>()).ToArray();
        for (var i = 0; i < slots.Length; i++)
        {
            if (slots[i].Metadata is not { } metadata)
            {
                continue;
            }

            foreach (var group in metadata.GroupBy(m => m.Key, StringComparer.Ordinal))
            {
                var k = keyIndex[group.Key];
                asks[k].Add(i);
                var asked = group.Select(m => m.Value).Distinct(StringComparer.Ordinal).ToArray();

                // Two different values for one header can never both hold: the slot asks for the
                // header and wants no value of it.
                if (asked.Length == 1)
                {
                    if (!values[k].TryGetValue(asked[0], out var v))
                    {
                        v = values[k].Count;
                        values[k].Add(asked[0], v);
                        wanted[k].Add([]);
                    }

                    wanted[k][v].Add(i);
                }
            }
        }

        _asks = new FaultSparseMasks(asks);
        _values = values.Select(v => v.ToFrozenDictionary(StringComparer.Ordinal)).ToArray();
        _wanted = wanted.Select(w => new FaultSparseMasks(w)).ToArray();
    }

    /// <summary>mask &amp;= the slots whose metadata the call carries; false when nothing is left.</summary>
    public bool And(Metadata? headers, Span<ulong> mask)
    {
        if (headers is null)
        {
            return FaultMask.And(mask, _noMetadata);
        }

        for (var k = 0; k < _keys.Length; k++)
        {
            // The slots that ask for this header keep their bit only if the call carries the value.
            var entry = headers.Get(_keys[k]);
            if (entry is null || entry.IsBinary || !_values[k].TryGetValue(entry.Value, out var value))
            {
                FaultMask.AndNot(mask, _asks.Words(k), _asks.Bits(k), [], []);
            }
            else
            {
                FaultMask.AndNot(mask, _asks.Words(k), _asks.Bits(k), _wanted[k].Words(value), _wanted[k].Bits(value));
            }
        }

        return FaultMask.Any(mask);
    }
}

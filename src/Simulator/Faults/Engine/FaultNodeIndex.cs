using System.Collections.Frozen;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>The slots of one node, pre-sorted by method, so the hot path does two dictionary look-ups and walks an array.</summary>
internal sealed class FaultNodeIndex
{
    private readonly FrozenDictionary<string, FaultSlotList> _methods;
    private readonly FrozenDictionary<string, FaultSlotList>.AlternateLookup<ReadOnlySpan<char>> _methodsBySpan;

    public FaultNodeIndex(Dictionary<string, FaultSlotList> methods, FaultSlotList otherMethods, FaultRuleState[] nodeStateRules)
    {
        _methods = methods.ToFrozenDictionary(StringComparer.Ordinal);
        _methodsBySpan = _methods.GetAlternateLookup<ReadOnlySpan<char>>();
        OtherMethods = otherMethods;
        NodeStateRules = nodeStateRules;
    }

    /// <summary>Slots of rules with method "*", for a method the context does not know (their faults count under the call's own method).</summary>
    public FaultSlotList OtherMethods { get; }

    /// <summary>Outage, flap and notServing rules that cover this node, in rule order.</summary>
    public FaultRuleState[] NodeStateRules { get; }

    public FaultSlotList Find(string method)
    {
        if (_methods.TryGetValue(method, out var slots))
        {
            return slots;
        }

        // A full gRPC path ("/paysim.issuer.v1.Issuer/Authorize"): look the tail up without allocating.
        var slash = method.LastIndexOf('/');
        if (slash >= 0 && _methodsBySpan.TryGetValue(method.AsSpan(slash + 1), out slots))
        {
            return slots;
        }

        return OtherMethods;
    }
}

using System.Collections.Frozen;
using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// An immutable snapshot of the applied rules, indexed by node and method. The engine swaps the
/// whole index when rules change, so deciding never takes a lock.
/// </summary>
internal sealed class FaultIndex
{
    private static readonly FrozenDictionary<string, FaultNodeIndex> NoNodes =
        new Dictionary<string, FaultNodeIndex>().ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, FaultNodeIndex> _nodes;
    private readonly FaultNodeIndex _otherNodes;

    private FaultIndex(
        FaultRuleState[] rules,
        FrozenDictionary<string, FaultNodeIndex> nodes,
        FaultNodeIndex otherNodes,
        FrozenDictionary<string, FaultRuleState> byName,
        FrozenDictionary<FaultRuleState, FaultSlot> forced)
    {
        Rules = rules;
        _nodes = nodes;
        _otherNodes = otherNodes;
        ByName = byName;
        Forced = forced;
        HasCallRules = rules.Any(r => !r.Rule.Kind.Flags.HasFlag(FaultKindFlags.NodeStateOnly));
        NeedsRequestFields = rules.Any(r => r.Rule.Match?.NeedsRequestFields == true);
        NeedsHeaders = rules.Any(r => r.Rule.Match?.Metadata.Length > 0);
    }

    public static FaultIndex Empty { get; } = new(
        [],
        NoNodes,
        new FaultNodeIndex([], FaultSlotList.Empty, []),
        new Dictionary<string, FaultRuleState>().ToFrozenDictionary(StringComparer.Ordinal),
        new Dictionary<FaultRuleState, FaultSlot>().ToFrozenDictionary());

    public FaultRuleState[] Rules { get; }

    public FrozenDictionary<string, FaultRuleState> ByName { get; }

    /// <summary>The slot a rule uses when x-sim-fault forces it (its own stream, its own counter).</summary>
    public FrozenDictionary<FaultRuleState, FaultSlot> Forced { get; }

    public bool HasCallRules { get; }

    public bool NeedsRequestFields { get; }

    public bool NeedsHeaders { get; }

    public FaultSlotList Find(string node, string method) =>
        (_nodes.TryGetValue(node, out var nodeIndex) ? nodeIndex : _otherNodes).Find(method);

    public FaultRuleState[] NodeStateRules(string node) =>
        (_nodes.TryGetValue(node, out var nodeIndex) ? nodeIndex : _otherNodes).NodeStateRules;

    /// <summary>Builds the index; must run under the engine's lock (slots are created on the rule states).</summary>
    /// <param name="prefilter">False forces the linear scan over every slot (tests compare both paths).</param>
    public static FaultIndex Build(IReadOnlyList<FaultRuleState> rules, FaultRuleContext context, Func<string, string, FaultSequence> sequence, bool prefilter = true)
    {
        if (rules.Count == 0)
        {
            return Empty;
        }

        // Lists of the same rules in the same order (a "*" rule is on every node and method) share
        // one filter: it depends only on the rules, and building it is the costly part of a change.
        var position = new Dictionary<FaultRuleState, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < rules.Count; i++)
        {
            position[rules[i]] = i;
        }

        var filters = new Dictionary<string, FaultSlotFilter?>(StringComparer.Ordinal);
        FaultSlotFilter? Filter(FaultSlot[] slots)
        {
            if (!prefilter)
            {
                return null;
            }

            var key = string.Join(',', slots.Select(s => position[s.State]));
            if (!filters.TryGetValue(key, out var filter))
            {
                filter = FaultSlotFilter.Create(slots);
                filters[key] = filter;
            }

            return filter;
        }

        var nodes = new Dictionary<string, FaultNodeIndex>(StringComparer.Ordinal);
        foreach (var node in context.Nodes)
        {
            nodes[node] = BuildNode(rules, context, node, r => FaultRuleContext.NodeMatches(r.Rule.Node, node), sequence, Filter);
        }

        var other = BuildNode(rules, context, "*", r => r.Rule.Node == "*", sequence, Filter);
        var byName = rules.ToFrozenDictionary(r => r.Rule.Name, StringComparer.Ordinal);
        var forced = rules.ToFrozenDictionary(r => r, r => r.Slot(FaultDefaults.HeaderFault, "*"));
        return new FaultIndex(rules.ToArray(), nodes.ToFrozenDictionary(StringComparer.Ordinal), other, byName, forced);
    }

    private static FaultNodeIndex BuildNode(
        IReadOnlyList<FaultRuleState> rules,
        FaultRuleContext context,
        string node,
        Func<FaultRuleState, bool> coversNode,
        Func<string, string, FaultSequence> sequence,
        Func<FaultSlot[], FaultSlotFilter?> filter)
    {
        // A rule with probability 0 can only fire through x-sim-fault (which has its own path):
        // leaving it out of the per-call arrays makes "armed but idle" rules free.
        var perCall = rules.Where(r => !r.Rule.Kind.Flags.HasFlag(FaultKindFlags.NodeStateOnly) && r.Rule.Probability > 0 && coversNode(r)).ToArray();
        var methods = new Dictionary<string, FaultSlotList>(StringComparer.Ordinal);
        foreach (var method in context.Methods)
        {
            var slots = perCall
                .Where(r => r.Rule.Method == "*" || r.Rule.Method == method)
                .Select(r => r.Slot(node, method))
                .ToArray();
            methods[method] = slots.Length == 0 ? FaultSlotList.Empty : new FaultSlotList(slots, sequence(node, method), filter(slots));
        }

        var other = perCall.Where(r => r.Rule.Method == "*").Select(r => r.Slot(node, "*")).ToArray();
        var otherMethods = other.Length == 0 ? FaultSlotList.Empty : new FaultSlotList(other, sequence(node, "*"), filter(other));
        var nodeState = rules.Where(r => r.Rule.Kind.Flags.HasFlag(FaultKindFlags.NodeLevel) && coversNode(r)).ToArray();
        return new FaultNodeIndex(methods, otherMethods, nodeState);
    }
}

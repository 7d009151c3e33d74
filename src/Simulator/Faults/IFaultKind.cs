using System.Text.Json;

namespace PaySim.Simulator.Faults;

/// <summary>
/// One kind of fault as a unit, in the shape of Polly's chaos strategies: its name in a rule, its
/// <see cref="FaultKindFlags"/>, how its options are read from JSON, and what it does to a call.
/// <c>Kinds/FaultKindCatalog</c> lists every kind; the rule parser and the engine loop over that list
/// instead of switching on a closed set, so a new kind is one folder under <c>Kinds/</c> and one
/// catalog line. Implement it through <see cref="FaultKind{TOptions}"/>.
/// </summary>
internal interface IFaultKind
{
    /// <summary>The rule field that selects the kind ("latency"); also its name in stats and metrics.</summary>
    string Name { get; }

    FaultKindFlags Flags { get; }

    /// <summary>Options as a rule writes them ("\"50ms\"", "{\"grpcStatus\":\"UNAVAILABLE\"}"); the catalog test applies it.</summary>
    string Example { get; }

    /// <summary>The options of one rule, or null when they are bad (every bad field is in <paramref name="errors"/>).</summary>
    object? ReadOptions(JsonElement value, string path, FaultRuleErrors errors);

    /// <summary>True when acting draws random numbers (a sampled delay, a choice), so the call needs a sequence number.</summary>
    bool NeedsDraws(object options);

    /// <summary>What a rule of this kind keeps per node (a queue, a token bucket, a prebuilt message); null for nothing.</summary>
    object? CreateState(object options, string ruleName, TimeProvider time);

    /// <summary>For <see cref="FaultKindFlags.Gated"/> kinds: whether the rule may fire on this call at all (before it draws or counts).</summary>
    bool Admits(object options, TimeSpan sinceStart, in FaultDecisionBuilder decision);

    /// <summary>Writes the rule's effect into the decision; false when it turns out not to fire (a bucket with tokens left).</summary>
    bool Act(in FaultFiring firing, ref FaultDecisionBuilder decision);

    /// <summary>For <see cref="FaultKindFlags.NodeLevel"/> kinds: what the rule wants its nodes to be, <paramref name="sinceStart"/> into it.</summary>
    NodeFaultState NodeState(object options, TimeSpan sinceStart);

    /// <summary>
    /// For <see cref="FaultKindFlags.Terminal"/> kinds, once the call's latency has passed: fail it
    /// (throw an RpcException), answer it (return the reply), or return null to let the handler run.
    /// </summary>
    Task<object?> InterveneAsync(FaultCall call);
}

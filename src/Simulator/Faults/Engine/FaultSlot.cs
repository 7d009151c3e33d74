using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// A rule as applied to one (node, method): its draw key and its counters, plus copies of the
/// rule fields the hot path reads, so evaluating a rule that does not fire touches one object.
/// Slots live as long as their rule, so re-indexing keeps counts.
/// </summary>
internal sealed class FaultSlot
{
    public FaultSlot(FaultRuleState state, string node, string method, ulong key, object? kindState)
    {
        var rule = state.Rule;
        State = state;
        Rule = rule;
        Node = node;
        Method = method;
        Key = key;
        KindState = kindState;
        CountsUnderCall = (node == "*" || method == "*") && node != FaultDefaults.HeaderFault;
        Kind = rule.Kind;
        Options = rule.Options;
        var flags = rule.Kind.Flags;
        IsTerminal = flags.HasFlag(FaultKindFlags.Terminal);
        IsSms = flags.HasFlag(FaultKindFlags.SmsPath);
        IsGated = flags.HasFlag(FaultKindFlags.Gated);
        NeedsClock = state.NeedsClock;
        StartAt = state.StartAt;
        EndAt = state.EndAt;
        Probability = rule.Probability;
        Match = rule.Match;
        Ramp = rule.Ramp;
        Times = rule.Times ?? 0;
        if (rule.Match is { } m)
        {
            // Flattened into the slot so rejecting a call reads one object, not two.
            Pan = m.Pan;
            PanPrefix = m.PanPrefix;
            Phone = m.Phone;
            HasAmount = m.AmountMin is not null || m.AmountMax is not null;
            AmountMin = m.AmountMin ?? long.MinValue;
            AmountMax = m.AmountMax ?? long.MaxValue;
            Metadata = m.Metadata.Length > 0 ? m.Metadata : null;
            HasMatch = true;
        }

        NeedsDraws = rule.Probability < 1.0 || rule.Ramp?.Target == FaultRampTarget.Probability || rule.Kind.NeedsDraws(rule.Options);
    }

    public readonly FaultRuleState State;
    public readonly FaultRule Rule;
    public readonly string Node;
    public readonly string Method;
    public readonly ulong Key;

    /// <summary>What the kind keeps for this rule on this node (a queue, a bucket, a message), shared by the node's methods.</summary>
    public readonly object? KindState;

    /// <summary>
    /// A slot for "a node or method the context does not list" (built under "*"): one slot serves
    /// many methods, so its injections are counted under each call's own node and method instead of
    /// on the slot; the stats must never show a "*" row with faults and no calls.
    /// </summary>
    public readonly bool CountsUnderCall;

    public readonly IFaultKind Kind;
    public readonly object Options;
    public readonly bool IsTerminal;
    public readonly bool IsSms;
    public readonly bool IsGated;
    public readonly bool NeedsClock;
    public readonly bool NeedsDraws;
    public readonly long StartAt;
    public readonly long EndAt;
    public readonly double Probability;
    public readonly FaultMatch? Match;
    public readonly FaultRamp? Ramp;

    /// <summary>0 = unlimited.</summary>
    public readonly int Times;

    public readonly bool HasMatch;
    public readonly bool HasAmount;
    public readonly long AmountMin;
    public readonly long AmountMax;
    public readonly string? Pan;
    public readonly string? PanPrefix;
    public readonly string? Phone;
    public readonly KeyValuePair<string, string>[]? Metadata;

    /// <summary>Own sequence, used only when x-sim-fault forces the rule.</summary>
    public long ForcedSequence;

    public long Injections;

    /// <summary>Lets the rule's kind write its effect into the decision; false when it does not fire after all.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool Act(long sequence, double scale, long now, bool forced, ref FaultDecisionBuilder decision) =>
        Kind.Act(new FaultFiring(Rule.Name, Options, KindState, Key, sequence, scale, now, forced), ref decision);

    /// <summary>Same semantics as <see cref="FaultMatch.Matches"/>, cheapest tests first.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool Matches(in FaultRequest request)
    {
        if (HasAmount && (request.AmountMinor is not { } amount || amount < AmountMin || amount > AmountMax))
        {
            return false;
        }

        if (PanPrefix is not null && (request.Pan is not { } pan || !pan.StartsWith(PanPrefix, StringComparison.Ordinal)))
        {
            return false;
        }

        if ((Pan is not null && !string.Equals(Pan, request.Pan, StringComparison.Ordinal))
            || (Phone is not null && !string.Equals(Phone, request.Phone, StringComparison.Ordinal)))
        {
            return false;
        }

        return Metadata is null || (request.Headers is not null && Match!.Matches(in request));
    }
}



namespace PaySim.Simulator.Faults.Rules;

/// <summary>
/// One validated rule. Selection (node, method, match), triggering (probability, times, start,
/// duration, ramp) and exactly one action: its <see cref="Kind"/> with the options that kind read.
/// Built by <see cref="FaultRuleParser"/>; immutable, so a rule list can be swapped whole.
/// </summary>
internal sealed class FaultRule
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>"*", a node name, or a prefix ending in "*".</summary>
    public string Node { get; init; } = "*";

    /// <summary>"*" or a short method name ("Authorize").</summary>
    public string Method { get; init; } = "*";

    public FaultMatch? Match { get; init; }

    public double Probability { get; init; } = FaultDefaults.Probability;

    /// <summary>When set, the rule injects at most this many times, then passes (Toxiproxy's fail-first-N).</summary>
    public int? Times { get; init; }

    /// <summary>Delay from the moment the rule is applied until it takes effect.</summary>
    public TimeSpan Start { get; init; }

    /// <summary>How long the rule stays in effect after <see cref="Start"/>; null = until cleared.</summary>
    public TimeSpan? Duration { get; init; }

    public FaultRamp? Ramp { get; init; }

    public required IFaultKind Kind { get; init; }

    /// <summary>What <see cref="Kind"/> read from the rule's action field (its own options type).</summary>
    public required object Options { get; init; }

    /// <summary>The rule as JSON (as posted, with a generated name filled in), for listing.</summary>
    public required string Json { get; init; }

    /// <summary>The options as the kind's type ("rule.OptionsAs&lt;ErrorOptions&gt;()"); null for another kind's rule.</summary>
    public T? OptionsAs<T>()
        where T : class => Options as T;

    public override string ToString() => $"{Name} ({Kind.Name} on {Node}/{Method})";
}

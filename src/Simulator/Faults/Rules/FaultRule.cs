using PaySim.Simulator.Faults.Kinds.Capacity;
using PaySim.Simulator.Faults.Kinds.Decline;
using PaySim.Simulator.Faults.Kinds.Error;
using PaySim.Simulator.Faults.Kinds.Flap;
using PaySim.Simulator.Faults.Kinds.Hang;
using PaySim.Simulator.Faults.Kinds.Latency;
using PaySim.Simulator.Faults.Kinds.RateLimit;
using PaySim.Simulator.Faults.Kinds.Reset;
using PaySim.Simulator.Faults.Kinds.SmsAfterExpiry;
using PaySim.Simulator.Faults.Kinds.SmsDuplicate;
using PaySim.Simulator.Faults.Kinds.SmsReorder;


namespace PaySim.Simulator.Faults.Rules;

/// <summary>
/// One validated rule. Selection (node, method, match), triggering (probability, times, start,
/// duration, ramp) and exactly one action, whose options are in the property named after the
/// kind. Built by <see cref="FaultRuleParser"/>; immutable, so a rule list can be swapped whole.
/// </summary>
public sealed class FaultRule
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

    public required FaultKind Kind { get; init; }

    public LatencyDistribution? Latency { get; init; }

    public ErrorOptions? Error { get; init; }

    public DeclineOptions? Decline { get; init; }

    public HangOptions? Hang { get; init; }

    public ResetOptions? Reset { get; init; }

    public FlapOptions? Flap { get; init; }

    public CapacityOptions? Capacity { get; init; }

    public RateLimitOptions? RateLimit { get; init; }

    public LatencyDistribution? SmsDelay { get; init; }

    public SmsDuplicateOptions? SmsDuplicate { get; init; }

    public SmsReorderOptions? SmsReorder { get; init; }

    public SmsAfterExpiryOptions? SmsAfterExpiry { get; init; }

    /// <summary>The rule as JSON (as posted, with a generated name filled in), for listing.</summary>
    public required string Json { get; init; }

    public override string ToString() => $"{Name} ({Kind.Name()} on {Node}/{Method})";
}

namespace PaySim.Simulator.Faults;

/// <summary>What a rule does. A rule does exactly one thing; combine rules to combine effects.</summary>
public enum FaultKind
{
    Latency,
    Error,
    Decline,
    Hang,
    Reset,
    Outage,
    NotServing,
    Flap,
    Capacity,
    RateLimit,
    SmsDelay,
    SmsDrop,
    SmsDuplicate,
    SmsReorder,
    SmsAfterExpiry,
}

namespace PaySim.Simulator.Faults;

/// <summary>
/// The terminal outcome of a call; at most one per call (the first in rule order). Not an enum: a
/// kind with a new kind of ending declares its own (the corrupt kind's garbled reply).
/// </summary>
internal sealed class FaultAction(string name)
{
    public static readonly FaultAction None = new("none");

    /// <summary>Fail with <see cref="FaultDecision.Status"/> and <see cref="FaultDecision.Message"/>.</summary>
    public static readonly FaultAction Error = new("error");

    /// <summary>Reply OK with <see cref="FaultDecision.DeclineCode"/> and <see cref="FaultDecision.DeclineReason"/>.</summary>
    public static readonly FaultAction Decline = new("decline");

    /// <summary>Reply never: wait for the caller's deadline or cancellation (at most <see cref="FaultDecision.HangMax"/>).</summary>
    public static readonly FaultAction Hang = new("hang");

    /// <summary>Abort the stream, before or after running the handler (<see cref="FaultDecision.ResetWhen"/>).</summary>
    public static readonly FaultAction Reset = new("reset");

    /// <summary>The node is down for this call: fail with UNAVAILABLE.</summary>
    public static readonly FaultAction Outage = new("outage");

    public string Name { get; } = name;

    public override string ToString() => Name;
}

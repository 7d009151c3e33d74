namespace PaySim.Simulator.Faults;

/// <summary>The terminal outcome of a call; at most one per call (the first in rule order).</summary>
public enum FaultAction
{
    None,

    /// <summary>Fail with <see cref="FaultDecision.Status"/> and <see cref="FaultDecision.Message"/>.</summary>
    Error,

    /// <summary>Reply OK with <see cref="FaultDecision.DeclineCode"/> and <see cref="FaultDecision.DeclineReason"/>.</summary>
    Decline,

    /// <summary>Reply never: wait for the caller's deadline or cancellation (at most <see cref="FaultDecision.HangMax"/>).</summary>
    Hang,

    /// <summary>Abort the stream, before or after running the handler (<see cref="FaultDecision.ResetWhen"/>).</summary>
    Reset,

    /// <summary>The node is down for this call: close the connection (the client sees UNAVAILABLE).</summary>
    Outage,
}

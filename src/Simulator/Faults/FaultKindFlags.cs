namespace PaySim.Simulator.Faults;

/// <summary>What a kind implies for the rules that use it and for the engine's decision path.</summary>
[Flags]
internal enum FaultKindFlags
{
    None = 0,

    /// <summary>Ends the call (error, decline, hang, reset, outage): the first terminal rule in rule order wins.</summary>
    Terminal = 1,

    /// <summary>Describes a whole node over time: method "*", no match; the node-state scheduler asks it.</summary>
    NodeLevel = 2,

    /// <summary>A state or a limit, not a per-call draw: no probability, times or ramp.</summary>
    Limit = 4,

    /// <summary>Acts where the SMS node delivers a message (its Send path), never on the gRPC call itself.</summary>
    SmsPath = 8,

    /// <summary>Reads the clock whenever it is considered (a flap's cycle, a token bucket).</summary>
    Clocked = 16,

    /// <summary>Only the node state: never considered for a call (notServing).</summary>
    NodeStateOnly = 32,

    /// <summary>Its effect is a delay, which a ramp scales by default.</summary>
    Delay = 64,

    /// <summary>Asks <see cref="IFaultKind.Admits"/> before drawing (flap: only while down; capacity: the first queue wins).</summary>
    Gated = 128,
}

namespace PaySim.Simulator.Faults;

/// <summary>
/// One rule firing on one call, as its kind sees it: the rule's options and per-node state, and
/// what its draws derive from. Lives on the stack for the length of <see cref="IFaultKind.Act"/>.
/// </summary>
internal readonly ref struct FaultFiring
{
    public FaultFiring(string ruleName, object options, object? state, ulong key, long sequence, double scale, long now, bool forced)
    {
        RuleName = ruleName;
        Options = options;
        State = state;
        Key = key;
        Sequence = sequence;
        Scale = scale;
        Now = now;
        Forced = forced;
    }

    public string RuleName { get; }

    public object Options { get; }

    /// <summary>What the kind created for this rule on this node (<see cref="IFaultKind.CreateState"/>).</summary>
    public object? State { get; }

    public ulong Key { get; }

    public long Sequence { get; }

    /// <summary>The ramp's factor for a delay (1 = the full delay).</summary>
    public double Scale { get; }

    /// <summary>The engine clock's timestamp, read when the rule or its kind needs the clock; else 0.</summary>
    public long Now { get; }

    /// <summary>True when x-sim-fault forced the rule: it fires whatever its state (a rate limit acts as an empty bucket).</summary>
    public bool Forced { get; }

    /// <summary>A reproducible uniform draw in [0, 1) for one purpose (<see cref="FaultDraw"/>).</summary>
    public double Draw(ulong purpose) => FaultDraw.Unit(Key, Sequence, purpose);

    /// <summary>A delay scaled by the ramp.</summary>
    public TimeSpan Scaled(TimeSpan delay) => Scale >= 1.0 ? delay : TimeSpan.FromTicks((long)(delay.Ticks * Scale));
}

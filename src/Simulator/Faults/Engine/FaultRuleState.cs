using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// An applied rule: its schedule pinned to timestamps of the engine's <see cref="TimeProvider"/>,
/// its fired count (for <c>times</c>) and its slots. Replacing a rule creates a new state, so a
/// re-applied rule starts its schedule, its <c>times</c> and its draws afresh.
/// </summary>
internal sealed class FaultRuleState
{
    private readonly Dictionary<(string Node, string Method), FaultSlot> _slots = [];
    private readonly Dictionary<string, object?> _kindStates = new(StringComparer.Ordinal);
    private readonly ulong _seed;
    private readonly TimeProvider _time;

    public FaultRuleState(FaultRule rule, ulong seed, TimeProvider time, int order)
    {
        Rule = rule;
        _seed = seed;
        _time = time;
        Order = order;
        Frequency = time.TimestampFrequency;
        AppliedAt = time.GetTimestamp();
        StartAt = AppliedAt + ToTimestamp(rule.Start);
        EndAt = rule.Duration is { } d ? StartAt + ToTimestamp(d) : long.MaxValue;
        NeedsClock = rule.Start > TimeSpan.Zero || rule.Duration is not null || rule.Ramp is not null
                     || rule.Kind.Flags.HasFlag(FaultKindFlags.Clocked);
    }

    public FaultRule Rule { get; }

    /// <summary>Position in the engine's rule list: decides which terminal action wins.</summary>
    public int Order { get; set; }

    public long Frequency { get; }

    public long AppliedAt { get; }

    public long StartAt { get; }

    public long EndAt { get; }

    public bool NeedsClock { get; }

    /// <summary>Injections so far, for <c>times</c>.</summary>
    public long Fired;

    public long Injections;

    public IEnumerable<FaultSlot> Slots => _slots.Values;

    public bool IsActive(long now) => now >= StartAt && now < EndAt;

    public bool IsExpired(long now) => now >= EndAt;

    public TimeSpan SinceStart(long now) => TimeSpan.FromTicks((long)((now - StartAt) * ((double)TimeSpan.TicksPerSecond / Frequency)));

    /// <summary>Called only while the engine builds an index (under its lock).</summary>
    public FaultSlot Slot(string node, string method)
    {
        if (!_slots.TryGetValue((node, method), out var slot))
        {
            // Per node, so a queue or a bucket is shared by the rule's methods on that node; kinds
            // build their messages here too, so an injected error allocates no string per call.
            if (!_kindStates.TryGetValue(node, out var kindState))
            {
                kindState = Rule.Kind.CreateState(Rule.Options, Rule.Name, _time);
                _kindStates[node] = kindState;
            }

            slot = new FaultSlot(this, node, method, FaultDraw.SlotKey(_seed, Rule.Name, node, method), kindState);
            _slots[(node, method)] = slot;
        }

        return slot;
    }

    private long ToTimestamp(TimeSpan span) => (long)(span.Ticks * ((double)Frequency / TimeSpan.TicksPerSecond));
}

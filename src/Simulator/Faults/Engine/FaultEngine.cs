using System.Numerics;
using System.Runtime.CompilerServices;
using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// Holds the applied fault rules and decides, per call, which faults to inject.
/// <para>
/// Precedence: header overrides first, then rules in the order they were applied. Every firing
/// rule's latency adds up; the first terminal action (error, decline, hang, reset, outage,
/// including a rate limit's RESOURCE_EXHAUSTED) wins and later terminal rules are not evaluated
/// (they draw nothing and do not count toward <c>times</c>). SMS effects combine.
/// </para>
/// <para>
/// Thread-safe. <see cref="Decide"/> takes no lock and allocates nothing when no rule fires:
/// rules live in an immutable index of arrays per (node, method) that is swapped whole on change.
/// Each array carries a <see cref="FaultSlotFilter"/> that rejects the rules a call cannot match
/// (amount, card, phone, metadata) before any is visited, so idle rules cost next to nothing.
/// </para>
/// </summary>
internal sealed class FaultEngine
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<FaultRuleState> _rules = [];
    private readonly Dictionary<(string Node, string Method), FaultSequence> _sequences = [];
    private readonly FaultCounters _counters = new();
    private readonly FaultHeaderOverrides _headers;
    private volatile FaultIndex _index = FaultIndex.Empty;
    private volatile bool _headerOverrides;
    private bool _prefilter = true;
    private int _maxActiveFaults;
    private long _activeFaults;
    private long _skipped;
    private long _version;

    public FaultEngine(FaultEngineOptions? options = null)
    {
        options ??= new FaultEngineOptions();
        options.Validate();
        Options = options;
        Context = options.Context;
        _time = options.TimeProvider;
        _headerOverrides = options.HeaderOverrides;
        _maxActiveFaults = options.MaxActiveFaults ?? 0;
        Journal = new FaultJournal(options.JournalCapacity);
        _headers = new FaultHeaderOverrides(_counters, options.HeaderToken);
    }

    /// <summary>Raised after the rule list changed (apply, clear, reset), outside the engine's lock.</summary>
    public event Action? RulesChanged;

    public FaultEngineOptions Options { get; }

    public FaultRuleContext Context { get; }

    public FaultJournal Journal { get; }

    public TimeProvider TimeProvider => _time;

    /// <summary>Incremented on every change of the rule list.</summary>
    // Volatile, not Interlocked.Read: that is a locked read-modify-write, and every call reads this.
    public long Version => Volatile.Read(ref _version);

    public bool HeaderOverrides
    {
        get => _headerOverrides;
        set => _headerOverrides = value;
    }

    /// <summary>
    /// False makes every call scan all the slots of its (node, method) instead of first rejecting
    /// the rules it cannot match; the decisions are the same, which the tests check.
    /// </summary>
    internal bool Prefilter
    {
        get => _prefilter;
        set
        {
            lock (_lock)
            {
                _prefilter = value;
                Rebuild();
            }
        }
    }

    /// <summary>0 = no limit.</summary>
    public int MaxActiveFaults => Volatile.Read(ref _maxActiveFaults);

    /// <summary>True when a loaded rule matches on pan, phone or amount, so the host must extract them.</summary>
    public bool NeedsRequestFields => _index.NeedsRequestFields;

    /// <summary>
    /// True when the host must pass request metadata: a loaded rule matches on it. (Header
    /// overrides need it too, but only on calls that carry an x-sim-* header.)
    /// </summary>
    public bool NeedsHeaders => _index.NeedsHeaders;

    /// <summary>True when any rule is loaded (node-state rules included).</summary>
    public bool HasRules => _index.Rules.Length > 0;

    /// <summary>Parses, validates and applies JSON (one rule, an array, or a profile document). All or nothing.</summary>
    public IReadOnlyList<FaultRule> Apply(string json) => Apply(FaultRuleParser.Parse(json, Context));

    /// <summary>
    /// Adds the rules in order. A rule whose name is already applied replaces it in place (keeping
    /// its precedence) and starts afresh: schedule, <c>times</c> and draws restart.
    /// </summary>
    public IReadOnlyList<FaultRule> Apply(FaultRuleSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        lock (_lock)
        {
            PruneExpired();
            if (_rules.Count + set.Rules.Count > FaultDefaults.MaxRules)
            {
                throw new FaultRuleException("rules", $"{_rules.Count} applied + {set.Rules.Count} new is more than the limit of {FaultDefaults.MaxRules}; clear some first");
            }

            foreach (var rule in set.Rules)
            {
                var state = new FaultRuleState(rule, Options.Seed, _time, 0);
                var existing = _rules.FindIndex(r => r.Rule.Name == rule.Name);
                if (existing >= 0)
                {
                    _counters.Retire(_rules[existing]);
                    _rules[existing] = state;
                }
                else
                {
                    _rules.Add(state);
                }
            }

            if (set.MaxActiveFaults is { } max)
            {
                Volatile.Write(ref _maxActiveFaults, max);
            }

            Rebuild();
        }

        OnChanged();
        return set.Rules;
    }

    /// <summary>Removes the rule with that name (returns 0 or 1), or every rule when name is null or empty.</summary>
    public int Clear(string? name = null)
    {
        int removed;
        lock (_lock)
        {
            if (string.IsNullOrEmpty(name))
            {
                removed = _rules.Count;
                foreach (var state in _rules)
                {
                    _counters.Retire(state);
                }

                _rules.Clear();
                Volatile.Write(ref _maxActiveFaults, Options.MaxActiveFaults ?? 0);
            }
            else
            {
                var index = _rules.FindIndex(r => r.Rule.Name == name);
                if (index < 0)
                {
                    return 0;
                }

                _counters.Retire(_rules[index]);
                _rules.RemoveAt(index);
                removed = 1;
            }

            Rebuild();
        }

        OnChanged();
        return removed;
    }

    /// <summary>Clears rules, counters and the journal (POST /v1/reset).</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _rules.Clear();
            _counters.Clear();
            _sequences.Clear();

            Interlocked.Exchange(ref _skipped, 0);
            Volatile.Write(ref _maxActiveFaults, Options.MaxActiveFaults ?? 0);
            Rebuild();
        }

        Journal.Clear();
        OnChanged();
    }

    /// <summary>The applied rules in precedence order; rules whose duration has passed are dropped (auto-revert).</summary>
    public IReadOnlyList<FaultRule> Rules
    {
        get
        {
            var changed = false;
            FaultRule[] result;
            lock (_lock)
            {
                changed = PruneExpired();
                if (changed)
                {
                    Rebuild();
                }

                result = _rules.Select(r => r.Rule).ToArray();
            }

            if (changed)
            {
                OnChanged();
            }

            return result;
        }
    }

    /// <summary>The applied rules as a JSON array, as ListFaults returns them.</summary>
    public string RulesJson() => $"[{string.Join(",", Rules.Select(r => r.Json))}]";

    /// <summary>Decides what to inject into one call. Pair with <see cref="Complete"/> when <see cref="FaultDecision.HoldsActiveFault"/>.</summary>
    public FaultDecision Decide(in FaultRequest request)
    {
        var index = _index;
        var decision = default(FaultDecisionBuilder);
        var firings = default(FaultFirings);

        if (_headerOverrides && request.Headers is { Count: > 0 } headers)
        {
            _headers.Apply(index, headers, in request, ref decision, ref firings);
            if (decision.Refused)
            {
                // The caller's mistake, not a fault: no rule runs, nothing is counted, maxActiveFaults does not apply.
                return decision.ToDecision(0, holdsActiveFault: false);
            }
        }

        var headerInjections = firings.Injections;

        if (index.HasCallRules)
        {
            var slots = index.Find(request.Node, request.Method);
            if (slots.Slots.Length > 0)
            {
                Evaluate(slots, in request, ref decision, ref firings);
            }
        }

        if (firings.Injections == 0)
        {
            return default;
        }

        var holds = false;
        var max = Volatile.Read(ref _maxActiveFaults);
        if (max > 0)
        {
            if (Interlocked.Increment(ref _activeFaults) > max)
            {
                Interlocked.Decrement(ref _activeFaults);
                Interlocked.Increment(ref _skipped);
                return default;
            }

            holds = true;
        }

        for (var i = 0; i < firings.Count && i < FaultFirings.Capacity; i++)
        {
            _counters.Count(firings.Fired[i]!, in request);
        }

        if (headerInjections > 0)
        {
            _counters.CountUnderCall(in request, firings.HeaderKind!);
        }

        return decision.ToDecision(firings.Injections, holds);
    }

    /// <summary>Releases the decision's maxActiveFaults slot once the faulted call has finished.</summary>
    public void Complete(in FaultDecision decision)
    {
        if (decision.HoldsActiveFault)
        {
            Interlocked.Decrement(ref _activeFaults);
        }
    }

    /// <summary>What the node-level rules (outage, flap, notServing) want <paramref name="node"/> to be now.</summary>
    public NodeFaultState GetNodeState(string node)
    {
        var rules = _index.NodeStateRules(node);
        if (rules.Length == 0)
        {
            return NodeFaultState.None;
        }

        var now = _time.GetTimestamp();
        var state = NodeFaultState.None;
        foreach (var rule in rules)
        {
            if (!rule.IsActive(now))
            {
                continue;
            }

            // Down wins at once; NOT_SERVING only while no active rule takes the node down.
            var wanted = rule.Rule.Kind.NodeState(rule.Rule.Options, rule.SinceStart(now));
            if (wanted == NodeFaultState.Down)
            {
                return wanted;
            }

            if (wanted == NodeFaultState.NotServing)
            {
                state = wanted;
            }
        }

        return state;
    }

    public FaultStats GetStats()
    {
        lock (_lock)
        {
            return _counters.Snapshot(_rules, _time.GetTimestamp(), Interlocked.Read(ref _skipped), Interlocked.Read(ref _activeFaults));
        }
    }

    private void Evaluate(FaultSlotList list, in FaultRequest request, ref FaultDecisionBuilder decision, ref FaultFirings firings)
    {
        long now = 0;
        var haveNow = false;
        var sequence = request.Sequence;
        var slots = list.Slots;
        if (list.Filter is not { } filter)
        {
            for (var i = 0; i < slots.Length; i++)
            {
                Consider(list, slots[i], in request, ref decision, ref firings, ref now, ref haveNow, ref sequence);
            }

            return;
        }

        // Only the candidates, in rule order: a slot the filter drops could not have matched, and
        // a slot that does not match never draws, counts or takes a sequence number.
        Span<ulong> mask = stackalloc ulong[filter.Words];
        if (!filter.Select(in request, mask))
        {
            return;
        }

        for (var w = 0; w < mask.Length; w++)
        {
            var bits = mask[w];
            while (bits != 0)
            {
                var i = (w << 6) + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                Consider(list, slots[i], in request, ref decision, ref firings, ref now, ref haveNow, ref sequence);
            }
        }
    }

    // One slot, whether the filter chose it or the linear scan reached it: the same checks in the same order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Consider(FaultSlotList list, FaultSlot slot, in FaultRequest request, ref FaultDecisionBuilder decision, ref FaultFirings firings, ref long now, ref bool haveNow, ref long sequence)
    {
        if ((slot.IsTerminal && decision.HasTerminal) || slot.IsSms != request.SmsDelivery)
        {
            return;
        }

        if (slot.NeedsClock)
        {
            if (!haveNow)
            {
                now = _time.GetTimestamp();
                haveNow = true;
            }

            if (now < slot.StartAt || now >= slot.EndAt)
            {
                return;
            }
        }

        if ((slot.HasMatch && !slot.Matches(in request))
            || (slot.IsGated && !slot.Kind.Admits(slot.Options, slot.State.SinceStart(now), in decision)))
        {
            return;
        }

        var probability = slot.Probability;
        var scale = 1.0;
        if (slot.Ramp is { } ramp)
        {
            var factor = ramp.Factor(slot.State.SinceStart(now));
            if (ramp.Target == FaultRampTarget.Probability)
            {
                probability *= factor;
            }
            else
            {
                scale = factor;
            }
        }

        if (probability <= 0.0)
        {
            return;
        }

        if (slot.NeedsDraws)
        {
            // One sequence number per call to this (node, method), taken only when a rule draws.
            if (sequence == 0)
            {
                sequence = Interlocked.Increment(ref list.Sequence.Value);
            }

            if (probability < 1.0 && FaultDraw.Unit(slot.Key, sequence, FaultDraw.PurposeTrigger) >= probability)
            {
                return;
            }
        }

        if ((slot.Times > 0 && Interlocked.Increment(ref slot.State.Fired) > slot.Times)
            || !slot.Act(sequence, scale, now, forced: false, ref decision))
        {
            return;
        }

        firings.Add(slot, _counters, in request);
    }

    private bool PruneExpired()
    {
        var now = _time.GetTimestamp();
        var removed = false;
        for (var i = _rules.Count - 1; i >= 0; i--)
        {
            if (_rules[i].IsExpired(now))
            {
                _counters.Retire(_rules[i]);
                _rules.RemoveAt(i);
                removed = true;
            }
        }

        return removed;
    }

    private void Rebuild()
    {
        for (var i = 0; i < _rules.Count; i++)
        {
            _rules[i].Order = i;
        }

        _index = FaultIndex.Build(_rules, Context, Sequence, _prefilter);
        Interlocked.Increment(ref _version);
    }

    private FaultSequence Sequence(string node, string method)
    {
        if (!_sequences.TryGetValue((node, method), out var sequence))
        {
            sequence = new FaultSequence();
            _sequences[(node, method)] = sequence;
        }

        return sequence;
    }

    private void OnChanged() => RulesChanged?.Invoke();
}

using System.Numerics;
using System.Runtime.CompilerServices;
using Grpc.Core;
using PaySim.Simulator.Faults.Kinds.Error;
using PaySim.Simulator.Faults.Kinds.Latency;
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
public sealed class FaultEngine
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<FaultRuleState> _rules = [];
    private readonly Dictionary<string, (FaultKind Kind, string Node, string Method, long Injections)> _retiredRules = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Node, string Method, FaultKind Kind), long> _retiredCounters = [];
    private readonly Dictionary<(string Node, string Method), FaultSequence> _sequences = [];
    // Injections counted by the call's own node and method rather than on a slot: x-sim-fault
    // forced rules, and rules firing on a node or method the context does not list. Both are rare.
    private readonly Dictionary<(string Node, string Method, FaultKind Kind), long> _callCounters = [];
    private readonly string _unknownHeaderRulePrefix = $"{FaultDefaults.MessagePrefix}{FaultDefaults.HeaderFault} names no active rule: ";
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
                    Retire(_rules[existing]);
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
                    Retire(state);
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

                Retire(_rules[index]);
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
            _retiredRules.Clear();
            _retiredCounters.Clear();
            _sequences.Clear();
            lock (_callCounters)
            {
                _callCounters.Clear();
            }

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
        var builder = default(FaultDecisionBuilder);

        if (_headerOverrides && request.Headers is { Count: > 0 } headers)
        {
            ApplyHeaders(index, headers, in request, ref builder);
        }

        var headerInjections = builder.Injections;

        if (index.HasCallRules)
        {
            var slots = index.Find(request.Node, request.Method);
            if (slots.Slots.Length > 0)
            {
                Evaluate(slots, in request, ref builder);
            }
        }

        if (builder.Injections == 0)
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

        for (var i = 0; i < builder.FiredCount && i < FaultDecisionBuilder.FiredCapacity; i++)
        {
            Count(builder.Fired[i]!, in request);
        }

        if (headerInjections > 0)
        {
            CountHeaders(in request, in builder);
        }

        return builder.ToDecision(holds);
    }

    /// <summary>Releases the decision's maxActiveFaults slot once the faulted call has finished.</summary>
    public void Complete(in FaultDecision decision)
    {
        if (decision.HoldsActiveFault)
        {
            Interlocked.Decrement(ref _activeFaults);
        }
    }

    /// <summary>What the outage, flap and notServing rules want <paramref name="node"/> to be now.</summary>
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

            switch (rule.Rule.Kind)
            {
                case FaultKind.Outage:
                    return NodeFaultState.Down;
                case FaultKind.Flap when rule.Rule.Flap!.IsDown(rule.SinceStart(now)):
                    return NodeFaultState.Down;
                case FaultKind.NotServing:
                    state = NodeFaultState.NotServing;
                    break;
            }
        }

        return state;
    }

    public FaultStats GetStats()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var rules = new List<FaultRuleStats>();
            var counters = new Dictionary<(string Node, string Method, FaultKind Kind), long>(_retiredCounters);
            lock (_callCounters)
            {
                foreach (var (key, value) in _callCounters)
                {
                    counters[key] = counters.GetValueOrDefault(key) + value;
                }
            }
            foreach (var state in _rules)
            {
                var injections = Interlocked.Read(ref state.Injections);
                if (_retiredRules.TryGetValue(state.Rule.Name, out var retired))
                {
                    injections += retired.Injections;
                }

                rules.Add(new FaultRuleStats(state.Rule.Name, state.Rule.Kind, state.Rule.Node, state.Rule.Method, injections, state.IsActive(now)));
                AddSlots(state, counters);
            }

            foreach (var (name, retired) in _retiredRules)
            {
                if (!_rules.Exists(r => r.Rule.Name == name))
                {
                    rules.Add(new FaultRuleStats(name, retired.Kind, retired.Node, retired.Method, retired.Injections, Active: false));
                }
            }

            return new FaultStats(
                rules,
                counters.Where(c => c.Value > 0).Select(c => new FaultCounter(c.Key.Node, c.Key.Method, c.Key.Kind, c.Value)).ToArray(),
                Interlocked.Read(ref _skipped),
                Interlocked.Read(ref _activeFaults));
        }
    }

    private void Evaluate(FaultSlotList list, in FaultRequest request, ref FaultDecisionBuilder builder)
    {
        long now = 0;
        var haveNow = false;
        var sequence = request.Sequence;
        var slots = list.Slots;
        if (list.Filter is not { } filter)
        {
            for (var i = 0; i < slots.Length; i++)
            {
                Consider(list, slots[i], in request, ref builder, ref now, ref haveNow, ref sequence);
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
                Consider(list, slots[i], in request, ref builder, ref now, ref haveNow, ref sequence);
            }
        }
    }

    // One slot, whether the filter chose it or the linear scan reached it: the same checks in the same order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Consider(FaultSlotList list, FaultSlot slot, in FaultRequest request, ref FaultDecisionBuilder builder, ref long now, ref bool haveNow, ref long sequence)
    {
        if ((slot.IsTerminal && builder.HasTerminal) || slot.IsSms != request.SmsDelivery)
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

        if (slot.HasMatch && !slot.Matches(in request))
        {
            return;
        }

        var kind = slot.Kind;
        switch (kind)
        {
            case FaultKind.Flap when !slot.Rule.Flap!.IsDown(slot.State.SinceStart(now)):
            case FaultKind.Capacity when builder.Gate is not null:
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

        if (slot.Times > 0 && Interlocked.Increment(ref slot.State.Fired) > slot.Times)
        {
            return;
        }

        if (kind == FaultKind.RateLimit)
        {
            if (slot.Bucket!.TryTake(now, out var retryAfter))
            {
                return;
            }

            builder.Terminal(FaultAction.Error, slot.Rule.Name, kind);
            builder.Status = StatusCode.ResourceExhausted;
            builder.Message = slot.State.Messages.RateLimited;
            builder.RetryPushbackMs = (int)Math.Ceiling(retryAfter.TotalMilliseconds);
        }
        else
        {
            Act(slot, sequence, scale, ref builder);
        }

        Fired(slot, in request, ref builder);
    }

    // What a rule does once it fired; shared by rule evaluation and x-sim-fault.
    private static void Act(FaultSlot slot, long sequence, double scale, ref FaultDecisionBuilder builder)
    {
        var rule = slot.Rule;
        switch (rule.Kind)
        {
            case FaultKind.Latency:
                builder.Latency += Sample(rule.Latency!, slot, sequence, scale);
                builder.Note(rule.Name, rule.Kind);
                break;
            case FaultKind.Error:
                var error = rule.Error!;
                builder.Terminal(FaultAction.Error, rule.Name, rule.Kind);
                builder.Status = error.Status;
                builder.Message = error.Message;
                builder.RetryPushbackMs = error.RetryPushbackMs;
                break;
            case FaultKind.Decline:
                var decline = rule.Decline!;
                builder.Terminal(FaultAction.Decline, rule.Name, rule.Kind);
                builder.DeclineCode = decline.Code;
                builder.Message = decline.Message;
                builder.DeclineReason = decline.Reasons.Length == 1
                    ? decline.Reasons[0]
                    : decline.Reasons[(int)(FaultDraw.Unit(slot.Key, sequence, FaultDraw.PurposeChoice) * decline.Reasons.Length)];
                break;
            case FaultKind.Hang:
                builder.Terminal(FaultAction.Hang, rule.Name, rule.Kind);
                builder.HangMax = rule.Hang!.Max;
                break;
            case FaultKind.Reset:
                builder.Terminal(FaultAction.Reset, rule.Name, rule.Kind);
                builder.ResetWhen = rule.Reset!.When;
                break;
            case FaultKind.Outage:
            case FaultKind.Flap:
                builder.Terminal(FaultAction.Outage, rule.Name, rule.Kind);
                builder.Status = StatusCode.Unavailable;
                builder.Message = slot.State.Messages.Outage;
                break;
            case FaultKind.RateLimit:
                // Only reached through x-sim-fault: behave as an empty bucket.
                builder.Terminal(FaultAction.Error, rule.Name, rule.Kind);
                builder.Status = StatusCode.ResourceExhausted;
                builder.Message = slot.State.Messages.RateLimited;
                builder.RetryPushbackMs = (int)Math.Ceiling(1000 / rule.RateLimit!.PerSecond);
                break;
            case FaultKind.Capacity:
                builder.Gate ??= slot.Gate;
                builder.Note(rule.Name, rule.Kind);
                break;
            case FaultKind.SmsDelay:
                builder.SmsDelay += Sample(rule.SmsDelay!, slot, sequence, scale);
                builder.Note(rule.Name, rule.Kind);
                break;
            case FaultKind.SmsDrop:
                builder.SmsDrop = true;
                builder.Note(rule.Name, rule.Kind);
                break;
            case FaultKind.SmsDuplicate:
                builder.SmsCopies = Math.Max(builder.SmsCopies, rule.SmsDuplicate!.Copies);
                builder.Note(rule.Name, rule.Kind);
                break;
            case FaultKind.SmsReorder:
                builder.SmsReorderWindow = rule.SmsReorder!.Window;
                builder.Note(rule.Name, rule.Kind);
                break;
            case FaultKind.SmsAfterExpiry:
                builder.SmsAfterExpiry = rule.SmsAfterExpiry!.Extra;
                builder.Note(rule.Name, rule.Kind);
                break;
        }
    }

    private static TimeSpan Sample(LatencyDistribution distribution, FaultSlot slot, long sequence, double scale)
    {
        var delay = distribution.Shape == LatencyShape.Fixed
            ? distribution.Min
            : distribution.Sample(
                FaultDraw.Unit(slot.Key, sequence, FaultDraw.PurposeSample1),
                FaultDraw.Unit(slot.Key, sequence, FaultDraw.PurposeSample2));
        return scale >= 1.0 ? delay : TimeSpan.FromTicks((long)(delay.Ticks * scale));
    }

    private void Fired(FaultSlot slot, in FaultRequest request, ref FaultDecisionBuilder builder)
    {
        if (builder.FiredCount < FaultDecisionBuilder.FiredCapacity)
        {
            builder.Fired[builder.FiredCount] = slot;
        }
        else
        {
            // More than 8 rules fired on one call: count at once rather than drop the count.
            Count(slot, in request);
        }

        builder.FiredCount++;
        builder.Injections++;
    }

    private void Count(FaultSlot slot, in FaultRequest request)
    {
        if (slot.CountsUnderCall)
        {
            CountUnderCall(in request, slot.Kind);
        }
        else if (!ReferenceEquals(slot.Node, FaultDefaults.HeaderFault))
        {
            // A forced slot counts only for its rule; CountHeaders attributes it to the real node and method.
            Interlocked.Increment(ref slot.Injections);
        }

        Interlocked.Increment(ref slot.State.Injections);
    }

    // Header-driven faults are rare and debugging aids: a dictionary update per injection is fine.
    private void CountHeaders(in FaultRequest request, in FaultDecisionBuilder builder) => CountUnderCall(in request, builder.HeaderKind);

    // Under the short method name ("Authorize"), as the call counters name it, whatever form the caller passed.
    private void CountUnderCall(in FaultRequest request, FaultKind kind)
    {
        var method = request.Method;
        var slash = method.LastIndexOf('/');
        if (slash >= 0)
        {
            method = method[(slash + 1)..];
        }

        var key = (request.Node, method, kind);
        lock (_callCounters)
        {
            _callCounters[key] = _callCounters.GetValueOrDefault(key) + 1;
        }
    }

    private void ApplyHeaders(FaultIndex index, Metadata headers, in FaultRequest request, ref FaultDecisionBuilder builder)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            var entry = headers[i];
            var key = entry.Key;
            if (key.Length < 6 || !key.StartsWith("x-sim-", StringComparison.Ordinal) || entry.IsBinary)
            {
                continue;
            }

            if (key == FaultDefaults.HeaderFault)
            {
                if (index.ByName.TryGetValue(entry.Value, out var state) && state.Rule.Kind != FaultKind.NotServing)
                {
                    if (builder.HasTerminal && state.Rule.Kind.IsTerminal())
                    {
                        continue;
                    }

                    var slot = index.Forced[state];
                    var sequence = Interlocked.Increment(ref slot.ForcedSequence);
                    var kind = builder.Injections == 0 ? state.Rule.Kind : builder.HeaderKind;
                    Act(slot, sequence, 1.0, ref builder);
                    Fired(slot, in request, ref builder);
                    builder.HeaderKind = kind;
                }
                else if (!builder.HasTerminal)
                {
                    // Asked for a fault that does not exist: say so rather than silently pass.
                    builder.Terminal(FaultAction.Error, FaultDefaults.HeaderFault, FaultKind.Error);
                    builder.Status = StatusCode.InvalidArgument;
                    builder.Message = _unknownHeaderRulePrefix + entry.Value;
                    builder.FromHeader(FaultKind.Error);
                }
            }
            else if (key == FaultDefaults.HeaderDelayMs)
            {
                if (int.TryParse(entry.Value, out var ms) && ms >= 0)
                {
                    builder.Latency += TimeSpan.FromMilliseconds(Math.Min(ms, FaultDefaults.MaxDelayMs));
                    builder.Note(FaultDefaults.HeaderDelayMs, FaultKind.Latency);
                    builder.FromHeader(FaultKind.Latency);
                }
            }
            else if (key == FaultDefaults.HeaderStatus)
            {
                if (!builder.HasTerminal && GrpcStatusNames.TryParse(entry.Value, out var status))
                {
                    builder.Terminal(FaultAction.Error, FaultDefaults.HeaderStatus, FaultKind.Error);
                    builder.Status = status;
                    builder.Message = FaultDefaults.MessagePrefix + FaultDefaults.HeaderStatus;
                    builder.FromHeader(FaultKind.Error);
                }
            }
        }
    }

    private bool PruneExpired()
    {
        var now = _time.GetTimestamp();
        var removed = false;
        for (var i = _rules.Count - 1; i >= 0; i--)
        {
            if (_rules[i].IsExpired(now))
            {
                Retire(_rules[i]);
                _rules.RemoveAt(i);
                removed = true;
            }
        }

        return removed;
    }

    // Keeps the counts of a rule that leaves, so stats survive a clear or an auto-revert.
    private void Retire(FaultRuleState state)
    {
        var rule = state.Rule;
        var previous = _retiredRules.TryGetValue(rule.Name, out var r) ? r.Injections : 0;
        _retiredRules[rule.Name] = (rule.Kind, rule.Node, rule.Method, previous + Interlocked.Read(ref state.Injections));
        AddSlots(state, _retiredCounters);
    }

    private static void AddSlots(FaultRuleState state, Dictionary<(string Node, string Method, FaultKind Kind), long> counters)
    {
        foreach (var slot in state.Slots)
        {
            var injections = Interlocked.Read(ref slot.Injections);
            if (injections > 0)
            {
                var key = (slot.Node, slot.Method, state.Rule.Kind);
                counters[key] = counters.GetValueOrDefault(key) + injections;
            }
        }
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

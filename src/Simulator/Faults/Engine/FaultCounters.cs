using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// The engine's injection counts beyond the live slots: those of rules that left (cleared,
/// replaced or expired), so stats survive a clear, and those counted under the call's own node
/// and method (x-sim-fault forced rules, "*" slots for methods the context does not list).
/// <see cref="Retire"/> and <see cref="Snapshot"/> run under the engine's lock.
/// </summary>
internal sealed class FaultCounters
{
    private readonly Dictionary<string, (IFaultKind Kind, string Node, string Method, long Injections)> _retiredRules = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Node, string Method, IFaultKind Kind), long> _retired = [];
    private readonly Dictionary<(string Node, string Method, IFaultKind Kind), long> _underCall = [];

    public void Count(FaultSlot slot, in FaultRequest request)
    {
        if (slot.CountsUnderCall)
        {
            CountUnderCall(in request, slot.Kind);
        }
        else if (!ReferenceEquals(slot.Node, FaultDefaults.HeaderFault))
        {
            // A forced slot counts only for its rule; the header override counts it under the real node and method.
            Interlocked.Increment(ref slot.Injections);
        }

        Interlocked.Increment(ref slot.State.Injections);
    }

    // Under the short method name ("Authorize"), as the call counters name it, whatever form the
    // caller passed. Rare (header faults, unlisted methods): a dictionary update per injection is fine.
    public void CountUnderCall(in FaultRequest request, IFaultKind kind)
    {
        var method = request.Method;
        var slash = method.LastIndexOf('/');
        if (slash >= 0)
        {
            method = method[(slash + 1)..];
        }

        var key = (request.Node, method, kind);
        lock (_underCall)
        {
            _underCall[key] = _underCall.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>Keeps the counts of a rule that leaves.</summary>
    public void Retire(FaultRuleState state)
    {
        var rule = state.Rule;
        var previous = _retiredRules.TryGetValue(rule.Name, out var r) ? r.Injections : 0;
        _retiredRules[rule.Name] = (rule.Kind, rule.Node, rule.Method, previous + Interlocked.Read(ref state.Injections));
        AddSlots(state, _retired);
    }

    public void Clear()
    {
        _retiredRules.Clear();
        _retired.Clear();
        lock (_underCall)
        {
            _underCall.Clear();
        }
    }

    public FaultStats Snapshot(IReadOnlyList<FaultRuleState> live, long now, long skipped, long active)
    {
        var rules = new List<FaultRuleStats>();
        var counters = new Dictionary<(string Node, string Method, IFaultKind Kind), long>(_retired);
        lock (_underCall)
        {
            foreach (var (key, value) in _underCall)
            {
                counters[key] = counters.GetValueOrDefault(key) + value;
            }
        }

        foreach (var state in live)
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
            if (!live.Any(r => r.Rule.Name == name))
            {
                rules.Add(new FaultRuleStats(name, retired.Kind, retired.Node, retired.Method, retired.Injections, Active: false));
            }
        }

        return new FaultStats(
            rules,
            counters.Where(c => c.Value > 0).Select(c => new FaultCounter(c.Key.Node, c.Key.Method, c.Key.Kind, c.Value)).ToArray(),
            skipped,
            active);
    }

    private static void AddSlots(FaultRuleState state, Dictionary<(string Node, string Method, IFaultKind Kind), long> counters)
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
}

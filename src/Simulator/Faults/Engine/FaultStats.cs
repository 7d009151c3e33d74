namespace PaySim.Simulator.Faults.Engine;

/// <summary>A snapshot of the engine's counters for GET /v1/stats and /metrics.</summary>
internal sealed class FaultStats
{
    public FaultStats(IReadOnlyList<FaultRuleStats> rules, IReadOnlyList<FaultCounter> counters, long skippedAtMaxActiveFaults, long activeFaults)
    {
        Rules = rules;
        Counters = counters;
        SkippedAtMaxActiveFaults = skippedAtMaxActiveFaults;
        ActiveFaults = activeFaults;
    }

    public IReadOnlyList<FaultRuleStats> Rules { get; }

    /// <summary>Per node, method and kind: always the node and short method name the call came to (never "*"), as the call counters name them.</summary>
    public IReadOnlyList<FaultCounter> Counters { get; }

    /// <summary>Faults that would have fired but were suppressed because maxActiveFaults were in flight.</summary>
    public long SkippedAtMaxActiveFaults { get; }

    /// <summary>Calls holding a fault right now (what maxActiveFaults limits).</summary>
    public long ActiveFaults { get; }

    public long Total
    {
        get
        {
            long total = 0;
            foreach (var rule in Rules)
            {
                total += rule.Injections;
            }

            return total;
        }
    }

    /// <summary>Injections per rule name, for StatsReply.rules.</summary>
    public Dictionary<string, long> ByRule()
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var rule in Rules)
        {
            result[rule.Name] = result.GetValueOrDefault(rule.Name) + rule.Injections;
        }

        return result;
    }

    /// <summary>Injections by kind name on one node and method (MethodStats.faults); method "*" sums the node.</summary>
    public Dictionary<string, long> ByKind(string node, string method = "*")
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var counter in Counters)
        {
            if (counter.Node == node && (method == "*" || counter.Method == method) && counter.Injections > 0)
            {
                var name = counter.Kind.Name;
                result[name] = result.GetValueOrDefault(name) + counter.Injections;
            }
        }

        return result;
    }
}

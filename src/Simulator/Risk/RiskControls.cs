namespace PaySim.Simulator.Risk;

/// <summary>
/// The risk rules in force and what they counted. The control plane (HTTP and gRPC) and <c>--risk</c> set them
/// through <see cref="Apply"/>, so all three answer alike; every node reads <see cref="Rules"/> on each Authorize.
/// </summary>
internal sealed class RiskControls
{
    private RiskRules _rules = RiskRules.Default;

    public RiskRules Rules => Volatile.Read(ref _rules);

    public RiskCounters Counters { get; } = new();

    /// <summary>Every card's recent authorizations for the window rules: in memory, or in Redis with Redis state (set by the host).</summary>
    public IRiskWindows Windows { get; set; } = new InMemoryRiskWindows();

    /// <summary>On reset: the counters and every card's window start again; the rules stay.</summary>
    public void Reset()
    {
        Counters.Reset();
        Windows.Clear();
    }

    /// <summary>Runs after every successful control-plane change (not after remote ones): shared state publishes here.</summary>
    public Action<string>? Changed { get; set; }

    /// <summary>Replaces the rules with a document. Throws <see cref="RiskRuleException"/> (the rules in force stay) for a bad one.</summary>
    public RiskRules Apply(string json)
    {
        var rules = RiskRulesParser.Parse(json);
        Volatile.Write(ref _rules, rules);
        Changed?.Invoke(rules.ToJson());
        return rules;
    }

    /// <summary>Replaces the rules without telling anyone (a change that came from another process).</summary>
    public void Replace(RiskRules rules) => Volatile.Write(ref _rules, rules);
}

namespace PaySim.Simulator.Faults.Rules;

/// <summary>A validated request: its rules in order, and optionally a new global maxActiveFaults.</summary>
internal sealed class FaultRuleSet
{
    public FaultRuleSet(IReadOnlyList<FaultRule> rules, int? maxActiveFaults = null, string? description = null)
    {
        Rules = rules;
        MaxActiveFaults = maxActiveFaults;
        Description = description;
    }

    public static FaultRuleSet Empty { get; } = new([]);

    public IReadOnlyList<FaultRule> Rules { get; }

    public int? MaxActiveFaults { get; }

    public string? Description { get; }
}

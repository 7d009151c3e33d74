namespace PaySim.Simulator.Faults;

/// <summary>One bad field of a fault rule: where it is and what is allowed.</summary>
public sealed record FaultRuleError(string Field, string Problem)
{
    public override string ToString() => $"{Field}: {Problem}";
}

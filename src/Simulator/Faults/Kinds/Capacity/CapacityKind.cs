using System.Text.Json;

namespace PaySim.Simulator.Faults.Kinds.Capacity;

/// <summary><c>"capacity": { "maxConcurrent": 8 }</c>: at most K matching calls run at once per node; the rest queue.</summary>
internal sealed class CapacityKind : FaultKind<CapacityOptions>
{
    public static readonly CapacityKind Instance = new();

    public override string Name => "capacity";

    public override FaultKindFlags Flags => FaultKindFlags.Limit | FaultKindFlags.Gated;

    public override string Example => """{"maxConcurrent":8}""";

    protected override CapacityOptions? Read(JsonElement value, string path, FaultRuleErrors errors) => CapacityOptions.Read(value, path, errors);

    // One queue per rule and node, shared by the rule's methods.
    protected override object? CreateState(CapacityOptions options, string ruleName, TimeProvider time) => new CapacityGate(options.MaxConcurrent);

    // The first firing capacity rule's queue is the call's; later ones do not fire.
    protected override bool Admits(CapacityOptions options, TimeSpan sinceStart, in FaultDecisionBuilder decision) => decision.Gate is null;

    protected override bool Act(CapacityOptions options, in FaultFiring firing, ref FaultDecisionBuilder decision)
    {
        decision.Gate ??= (CapacityGate)firing.State!;
        decision.Note(firing.RuleName, this);
        return true;
    }
}

using System.Text.Json;

namespace PaySim.Simulator.Faults.Kinds.NotServing;

/// <summary><c>"notServing": {}</c>: the node's grpc.health.v1 service says NOT_SERVING while calls still work.</summary>
internal sealed class NotServingKind : FaultKind<NoOptions>
{
    public static readonly NotServingKind Instance = new();

    public override string Name => "notServing";

    public override FaultKindFlags Flags => FaultKindFlags.NodeLevel | FaultKindFlags.Limit | FaultKindFlags.NodeStateOnly;

    public override string Example => "{}";

    protected override NoOptions? Read(JsonElement value, string path, FaultRuleErrors errors) => NoOptions.Read(value, path, errors);

    // Never offered a call (NodeStateOnly): only the node's health changes.
    protected override bool Act(NoOptions options, in FaultFiring firing, ref FaultDecisionBuilder decision) => false;

    protected override NodeFaultState NodeState(NoOptions options, TimeSpan sinceStart) => NodeFaultState.NotServing;
}

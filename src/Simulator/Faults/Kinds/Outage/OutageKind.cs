using System.Text.Json;
using Grpc.Core;
using PaySim.Simulator.Faults.Kinds.Error;

namespace PaySim.Simulator.Faults.Kinds.Outage;

/// <summary>
/// <c>"outage": {}</c>: while the rule is active (see <c>start</c>/<c>duration</c>) the node stops
/// listening (new connections refused, existing ones closed); a call that still reaches it fails
/// with UNAVAILABLE. It listens again when the rule ends.
/// </summary>
internal sealed class OutageKind : FaultKind<NoOptions>
{
    public static readonly OutageKind Instance = new();

    public override string Name => "outage";

    public override FaultKindFlags Flags => FaultKindFlags.Terminal | FaultKindFlags.NodeLevel | FaultKindFlags.Limit;

    public override string Example => "{}";

    /// <summary>The message of a call that reaches a node an outage or flap rule holds down; built once per rule and node.</summary>
    public static string Message(string ruleName) => $"{FaultDefaults.MessagePrefix}node unavailable (outage rule '{ruleName}')";

    /// <summary>What an outage or a flap that is down does to a call that still arrives.</summary>
    public static bool Refuse(IFaultKind kind, in FaultFiring firing, ref FaultDecisionBuilder decision)
    {
        decision.Terminal(FaultAction.Outage, firing.RuleName, kind);
        decision.Status = StatusCode.Unavailable;
        decision.Message = (string?)firing.State;
        return true;
    }

    public override Task<object?> InterveneAsync(FaultCall call) => throw ErrorKind.Fail(call);

    protected override NoOptions? Read(JsonElement value, string path, FaultRuleErrors errors) => NoOptions.Read(value, path, errors);

    protected override object? CreateState(NoOptions options, string ruleName, TimeProvider time) => Message(ruleName);

    protected override bool Act(NoOptions options, in FaultFiring firing, ref FaultDecisionBuilder decision) => Refuse(this, in firing, ref decision);

    protected override NodeFaultState NodeState(NoOptions options, TimeSpan sinceStart) => NodeFaultState.Down;
}

using System.Text.Json;
using PaySim.Simulator.Faults.Kinds.Error;
using PaySim.Simulator.Faults.Kinds.Outage;

namespace PaySim.Simulator.Faults.Kinds.Flap;

/// <summary><c>"flap": { "period": "10s", "downFor": "3s" }</c>: an outage for the first <c>downFor</c> of every <c>period</c>.</summary>
internal sealed class FlapKind : FaultKind<FlapOptions>
{
    public static readonly FlapKind Instance = new();

    public override string Name => "flap";

    public override FaultKindFlags Flags =>
        FaultKindFlags.Terminal | FaultKindFlags.NodeLevel | FaultKindFlags.Limit | FaultKindFlags.Clocked | FaultKindFlags.Gated;

    public override string Example => """{"period":"10s","downFor":"3s"}""";

    public override Task<object?> InterveneAsync(FaultCall call) => throw ErrorKind.Fail(call);

    protected override FlapOptions? Read(JsonElement value, string path, FaultRuleErrors errors) => FlapOptions.Read(value, path, errors);

    protected override object? CreateState(FlapOptions options, string ruleName, TimeProvider time) => OutageKind.Message(ruleName);

    // Only while the cycle is in its down part; x-sim-fault skips this and refuses the call anyway.
    protected override bool Admits(FlapOptions options, TimeSpan sinceStart, in FaultDecisionBuilder decision) => options.IsDown(sinceStart);

    protected override bool Act(FlapOptions options, in FaultFiring firing, ref FaultDecisionBuilder decision) => OutageKind.Refuse(this, in firing, ref decision);

    protected override NodeFaultState NodeState(FlapOptions options, TimeSpan sinceStart) =>
        options.IsDown(sinceStart) ? NodeFaultState.Down : NodeFaultState.None;
}

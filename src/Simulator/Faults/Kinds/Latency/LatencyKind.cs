namespace PaySim.Simulator.Faults.Kinds.Latency;

/// <summary><c>"latency": "50ms"</c> or a distribution: waits before the handler runs; delays of several rules add up.</summary>
internal sealed class LatencyKind : FaultKind<LatencyDistribution>
{
    public static readonly LatencyKind Instance = new();

    public override string Name => "latency";

    public override FaultKindFlags Flags => FaultKindFlags.Delay;

    public override string Example => "\"50ms\"";

    protected override LatencyDistribution? Read(System.Text.Json.JsonElement value, string path, FaultRuleErrors errors) =>
        LatencyDistribution.Read(value, path, errors);

    protected override bool NeedsDraws(LatencyDistribution options) => options.Shape != LatencyShape.Fixed;

    protected override bool Act(LatencyDistribution options, in FaultFiring firing, ref FaultDecisionBuilder decision)
    {
        decision.Latency += options.Sample(in firing);
        decision.Note(firing.RuleName, this);
        return true;
    }
}

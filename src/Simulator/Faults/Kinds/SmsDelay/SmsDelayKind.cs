using System.Text.Json;
using PaySim.Simulator.Faults.Kinds.Latency;

namespace PaySim.Simulator.Faults.Kinds.SmsDelay;

/// <summary><c>"smsDelay": "20s"</c> or a distribution: the SMS is delivered that much later; delays of several rules add up.</summary>
internal sealed class SmsDelayKind : FaultKind<LatencyDistribution>
{
    public static readonly SmsDelayKind Instance = new();

    public override string Name => "smsDelay";

    public override FaultKindFlags Flags => FaultKindFlags.SmsPath | FaultKindFlags.Delay;

    public override string Example => "\"50ms\"";

    protected override LatencyDistribution? Read(JsonElement value, string path, FaultRuleErrors errors) => LatencyDistribution.Read(value, path, errors);

    protected override bool NeedsDraws(LatencyDistribution options) => options.Shape != LatencyShape.Fixed;

    protected override bool Act(LatencyDistribution options, in FaultFiring firing, ref FaultDecisionBuilder decision)
    {
        decision.SmsDelay += options.Sample(in firing);
        decision.Note(firing.RuleName, this);
        return true;
    }
}

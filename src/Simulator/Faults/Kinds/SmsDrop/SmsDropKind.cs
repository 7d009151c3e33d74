using System.Text.Json;

namespace PaySim.Simulator.Faults.Kinds.SmsDrop;

/// <summary><c>"smsDrop": {}</c>: the gateway accepts the message and never delivers it.</summary>
internal sealed class SmsDropKind : FaultKind<NoOptions>
{
    public static readonly SmsDropKind Instance = new();

    public override string Name => "smsDrop";

    public override FaultKindFlags Flags => FaultKindFlags.SmsPath;

    public override string Example => "{}";

    protected override NoOptions? Read(JsonElement value, string path, FaultRuleErrors errors) => NoOptions.Read(value, path, errors);

    protected override bool Act(NoOptions options, in FaultFiring firing, ref FaultDecisionBuilder decision)
    {
        decision.SmsDrop = true;
        decision.Note(firing.RuleName, this);
        return true;
    }
}

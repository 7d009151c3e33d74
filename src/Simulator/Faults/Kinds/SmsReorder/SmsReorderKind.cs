using System.Text.Json;

namespace PaySim.Simulator.Faults.Kinds.SmsReorder;

/// <summary><c>"smsReorder": { "window": "5s" }</c>: the message is held back, so one sent meanwhile overtakes it.</summary>
internal sealed class SmsReorderKind : FaultKind<SmsReorderOptions>
{
    public static readonly SmsReorderKind Instance = new();

    public override string Name => "smsReorder";

    public override FaultKindFlags Flags => FaultKindFlags.SmsPath;

    public override string Example => """{"window":"1s"}""";

    protected override SmsReorderOptions? Read(JsonElement value, string path, FaultRuleErrors errors) => SmsReorderOptions.Read(value, path, errors);

    protected override bool Act(SmsReorderOptions options, in FaultFiring firing, ref FaultDecisionBuilder decision)
    {
        decision.SmsReorderWindow = options.Window;
        decision.Note(firing.RuleName, this);
        return true;
    }
}

using System.Text.Json;

namespace PaySim.Simulator.Faults.Kinds.SmsAfterExpiry;

/// <summary><c>"smsAfterExpiry": { "extra": "1s" }</c>: the message arrives <c>extra</c> after the OTP it carries expired.</summary>
internal sealed class SmsAfterExpiryKind : FaultKind<SmsAfterExpiryOptions>
{
    public static readonly SmsAfterExpiryKind Instance = new();

    public override string Name => "smsAfterExpiry";

    public override FaultKindFlags Flags => FaultKindFlags.SmsPath;

    public override string Example => """{"extra":"1s"}""";

    protected override SmsAfterExpiryOptions? Read(JsonElement value, string path, FaultRuleErrors errors) => SmsAfterExpiryOptions.Read(value, path, errors);

    protected override bool Act(SmsAfterExpiryOptions options, in FaultFiring firing, ref FaultDecisionBuilder decision)
    {
        decision.SmsAfterExpiry = options.Extra;
        decision.Note(firing.RuleName, this);
        return true;
    }
}

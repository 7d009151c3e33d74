using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace PaySim.Simulator.Faults.Kinds.Decline;

/// <summary><c>"decline": { "code": "91" }</c>: an OK reply carrying a business decline; the handler does not run.</summary>
internal sealed class DeclineKind : FaultKind<DeclineOptions>
{
    public static readonly DeclineKind Instance = new();

    public override string Name => "decline";

    public override FaultKindFlags Flags => FaultKindFlags.Terminal;

    public override string Example => """{"code":"91"}""";

    // Every issuer reply has response_code, message, decline_reason and node; replies without a
    // response_code (the SMS gateway's) cannot carry a decline and run the handler instead.
    public override Task<object?> InterveneAsync(FaultCall call)
    {
        if (Activator.CreateInstance(call.ResponseType) is not IMessage reply
            || reply.Descriptor.FindFieldByName("response_code") is not { } code)
        {
            return Task.FromResult<object?>(null);
        }

        var decision = call.Decision;
        var descriptor = reply.Descriptor;
        code.Accessor.SetValue(reply, decision.DeclineCode ?? "05");
        descriptor.FindFieldByName("message")?.Accessor.SetValue(reply, decision.Message ?? string.Empty);
        if (descriptor.FindFieldByName("decline_reason") is { } reason && reason.FieldType == FieldType.Enum)
        {
            reason.Accessor.SetValue(reply, decision.DeclineReason);
        }

        descriptor.FindFieldByName("node")?.Accessor.SetValue(reply, call.Node);
        call.Outcome = "decline " + decision.DeclineCode;
        return Task.FromResult<object?>(reply);
    }

    protected override DeclineOptions? Read(JsonElement value, string path, FaultRuleErrors errors) => DeclineOptions.Read(value, path, errors);

    protected override bool NeedsDraws(DeclineOptions options) => options.Reasons.Length > 1;

    protected override bool Act(DeclineOptions options, in FaultFiring firing, ref FaultDecisionBuilder decision)
    {
        decision.Terminal(FaultAction.Decline, firing.RuleName, this);
        decision.DeclineCode = options.Code;
        decision.Message = options.Message;
        decision.DeclineReason = options.Reasons.Length == 1
            ? options.Reasons[0]
            : options.Reasons[(int)(firing.Draw(FaultDraw.PurposeChoice) * options.Reasons.Length)];
        return true;
    }
}

using System.Text.Json;
using Grpc.Core;
using PaySim.Contracts.Durations;

namespace PaySim.Simulator.Faults.Kinds.Hang;

/// <summary><c>"hang": {}</c>: no reply until the caller gives up, or until <c>max</c> passes (then DEADLINE_EXCEEDED).</summary>
internal sealed class HangKind : FaultKind<HangOptions>
{
    public static readonly HangKind Instance = new();

    public override string Name => "hang";

    public override FaultKindFlags Flags => FaultKindFlags.Terminal;

    public override string Example => """{"max":"100ms"}""";

    public override async Task<object?> InterveneAsync(FaultCall call)
    {
        var decision = call.Decision;
        call.Outcome = "hang";
        await Task.Delay(decision.HangMax, call.Time, call.Context.CancellationToken).ConfigureAwait(false);
        throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"{FaultDefaults.MessagePrefix}hang ended after {HumanDuration.Format(decision.HangMax)} (rule '{decision.RuleName}')"));
    }

    protected override HangOptions? Read(JsonElement value, string path, FaultRuleErrors errors) => HangOptions.Read(value, path, errors);

    protected override bool Act(HangOptions options, in FaultFiring firing, ref FaultDecisionBuilder decision)
    {
        decision.Terminal(FaultAction.Hang, firing.RuleName, this);
        decision.HangMax = options.Max;
        return true;
    }
}

using System.Text.Json;
using PaySim.Simulator.Faults.Kinds.Latency;

namespace PaySim.Simulator.Faults.Kinds.SlowReply;

/// <summary>
/// <c>"slowReply": "500ms"</c> or a distribution as for <c>latency</c>: the handler runs at once (its effects stay, the
/// money is held) and only its reply waits. A client whose deadline is shorter sees DEADLINE_EXCEEDED for a call that
/// moved money; a wallet instance that dies in that window leaves a hold it has not written down unless it wrote the
/// payment first. <c>latency</c> waits before the handler, so nothing has happened yet when it fires.
/// </summary>
internal sealed class SlowReplyKind : FaultKind<LatencyDistribution>
{
    public static readonly SlowReplyKind Instance = new();

    /// <summary>The call's reply leaves <see cref="FaultDecision.ReplyDelay"/> after its handler ended.</summary>
    public static readonly FaultAction SlowReply = new("slow reply");

    public override string Name => "slowReply";

    public override FaultKindFlags Flags => FaultKindFlags.Terminal;

    public override string Example => "\"50ms\"";

    public override async Task<object?> InterveneAsync(FaultCall call)
    {
        var reply = await call.ProceedAsync().ConfigureAwait(false);
        call.Outcome = "slow reply";
        await Task.Delay(call.Decision.ReplyDelay, call.Time, call.Context.CancellationToken).ConfigureAwait(false);
        return reply;
    }

    protected override LatencyDistribution? Read(JsonElement value, string path, FaultRuleErrors errors) =>
        LatencyDistribution.Read(value, path, errors);

    protected override bool NeedsDraws(LatencyDistribution options) => options.Shape != LatencyShape.Fixed;

    protected override bool Act(LatencyDistribution options, in FaultFiring firing, ref FaultDecisionBuilder decision)
    {
        decision.Terminal(SlowReply, firing.RuleName, this);
        decision.ReplyDelay = options.Sample(in firing);
        return true;
    }
}

using System.Text.Json;
using Grpc.Core;

namespace PaySim.Simulator.Faults.Kinds.Reset;

/// <summary><c>"reset": { "when": "before" | "after" }</c>: the HTTP/2 stream is aborted, after the handler ran if "after".</summary>
internal sealed class ResetKind : FaultKind<ResetOptions>
{
    public static readonly ResetKind Instance = new();

    public override string Name => "reset";

    public override FaultKindFlags Flags => FaultKindFlags.Terminal;

    public override string Example => """{"when":"before"}""";

    public override async Task<object?> InterveneAsync(FaultCall call)
    {
        var after = call.Decision.ResetWhen == ResetWhen.After;
        if (after)
        {
            // The handler runs and its effects stay (money moves); only the reply is lost.
            await call.ProceedAsync().ConfigureAwait(false);
        }

        call.Outcome = after ? "reset after" : "reset before";
        call.Context.GetHttpContext().Abort();
        throw new RpcException(new Status(StatusCode.Unavailable, $"{FaultDefaults.MessagePrefix}stream reset {(after ? "after" : "before")} processing (rule '{call.Decision.RuleName}')"));
    }

    protected override ResetOptions? Read(JsonElement value, string path, FaultRuleErrors errors) => ResetOptions.Read(value, path, errors);

    protected override bool Act(ResetOptions options, in FaultFiring firing, ref FaultDecisionBuilder decision)
    {
        decision.Terminal(FaultAction.Reset, firing.RuleName, this);
        decision.ResetWhen = options.When;
        return true;
    }
}

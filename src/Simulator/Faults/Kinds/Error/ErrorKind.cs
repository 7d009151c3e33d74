using System.Globalization;
using System.Text.Json;
using Grpc.Core;

namespace PaySim.Simulator.Faults.Kinds.Error;

/// <summary><c>"error": { "grpcStatus": "UNAVAILABLE" }</c>: the call fails with that status (and a pushback trailer if asked).</summary>
internal sealed class ErrorKind : FaultKind<ErrorOptions>
{
    public static readonly ErrorKind Instance = new();

    public override string Name => "error";

    public override FaultKindFlags Flags => FaultKindFlags.Terminal;

    public override string Example => """{"grpcStatus":"UNAVAILABLE"}""";

    /// <summary>
    /// Fails the call with the decision's status and message (and its grpc-retry-pushback-ms
    /// trailer); the error, rate-limit, outage and flap kinds and the header overrides end this way.
    /// </summary>
    public static RpcException Fail(FaultCall call)
    {
        var decision = call.Decision;
        call.Outcome = GrpcStatusNames.Name(decision.Status);
        var status = new Status(decision.Status, decision.Message ?? FaultDefaults.MessagePrefix + GrpcStatusNames.Name(decision.Status));
        if (decision.RetryPushbackMs is { } pushback)
        {
            // grpc-dotnet copies an RpcException's trailers into the response trailers.
            return new RpcException(status, new Metadata { { FaultDefaults.RetryPushbackTrailer, pushback.ToString(CultureInfo.InvariantCulture) } });
        }

        return new RpcException(status);
    }

    public override Task<object?> InterveneAsync(FaultCall call) => throw Fail(call);

    protected override ErrorOptions? Read(JsonElement value, string path, FaultRuleErrors errors) => ErrorOptions.Read(value, path, errors);

    protected override bool Act(ErrorOptions options, in FaultFiring firing, ref FaultDecisionBuilder decision)
    {
        decision.Terminal(FaultAction.Error, firing.RuleName, this);
        decision.Status = options.Status;
        decision.Message = options.Message;
        decision.RetryPushbackMs = options.RetryPushbackMs;
        return true;
    }
}

using System.Text.Json;
using Grpc.Core;
using PaySim.Simulator.Faults.Kinds.Error;

namespace PaySim.Simulator.Faults.Kinds.RateLimit;

/// <summary><c>"rateLimit": { "perSecond": 50, "burst": 10 }</c>: an empty token bucket fails the call with RESOURCE_EXHAUSTED.</summary>
internal sealed class RateLimitKind : FaultKind<RateLimitOptions>
{
    public static readonly RateLimitKind Instance = new();

    public override string Name => "rateLimit";

    public override FaultKindFlags Flags => FaultKindFlags.Terminal | FaultKindFlags.Limit | FaultKindFlags.Clocked;

    public override string Example => """{"perSecond":1,"burst":1}""";

    public override Task<object?> InterveneAsync(FaultCall call) => throw ErrorKind.Fail(call);

    protected override RateLimitOptions? Read(JsonElement value, string path, FaultRuleErrors errors) => RateLimitOptions.Read(value, path, errors);

    // One bucket per rule and node (shared by the rule's methods); the message is built once, not per call.
    protected override object? CreateState(RateLimitOptions options, string ruleName, TimeProvider time) => new RateLimitState(
        new TokenBucket(options.PerSecond, options.Burst, time.GetTimestamp(), time.TimestampFrequency),
        $"{FaultDefaults.MessagePrefix}rate limit exceeded (rule '{ruleName}': {options.PerSecond}/s)");

    protected override bool Act(RateLimitOptions options, in FaultFiring firing, ref FaultDecisionBuilder decision)
    {
        var state = (RateLimitState)firing.State!;
        int pushbackMs;
        if (firing.Forced)
        {
            // x-sim-fault: behave as an empty bucket.
            pushbackMs = (int)Math.Ceiling(1000 / options.PerSecond);
        }
        else if (state.Bucket.TryTake(firing.Now, out var retryAfter))
        {
            return false;
        }
        else
        {
            pushbackMs = (int)Math.Ceiling(retryAfter.TotalMilliseconds);
        }

        decision.Terminal(FaultAction.Error, firing.RuleName, this);
        decision.Status = StatusCode.ResourceExhausted;
        decision.Message = state.Message;
        decision.RetryPushbackMs = pushbackMs;
        return true;
    }
}

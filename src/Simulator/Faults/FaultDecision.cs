using Grpc.Core;
using PaySim.Contracts.Issuer.V1;

namespace PaySim.Simulator.Faults;

/// <summary>
/// What to do with one call. Latencies of every firing rule add up; <see cref="Action"/> is the
/// first terminal action in rule order (header overrides come before every rule). A struct, so a
/// call where nothing fires costs no allocation.
/// </summary>
internal readonly struct FaultDecision
{
    /// <summary>Total delay to add before the reply (or before the terminal action).</summary>
    public TimeSpan Latency { get; init; }

    private readonly FaultAction? _action;

    public FaultAction Action
    {
        get => _action ?? FaultAction.None;
        init => _action = value;
    }

    /// <summary>The rule behind <see cref="Action"/>, else the first rule that fired; null when none.</summary>
    public string? RuleName { get; init; }

    /// <summary>The kind of <see cref="RuleName"/> (an error can come from an error or a rateLimit rule); it carries out <see cref="Action"/>.</summary>
    public IFaultKind? Kind { get; init; }

    /// <summary>The options of the rule behind a terminal <see cref="Action"/>, when its kind passed them on for its act on the call.</summary>
    public object? Options { get; init; }

    public StatusCode Status { get; init; }

    public string? Message { get; init; }

    /// <summary>For <see cref="FaultAction.Error"/>: the grpc-retry-pushback-ms trailer to send, if any.</summary>
    public int? RetryPushbackMs { get; init; }

    public string? DeclineCode { get; init; }

    public DeclineReason DeclineReason { get; init; }

    public ResetWhen ResetWhen { get; init; }

    public TimeSpan HangMax { get; init; }

    /// <summary>How long the reply waits after the handler ran (<c>slowReply</c>).</summary>
    public TimeSpan ReplyDelay { get; init; }

    /// <summary>A capacity queue the call must pass through (await EnterAsync, then Exit after the handler).</summary>
    public CapacityGate? Gate { get; init; }

    public SmsFaultActions Sms { get; init; }

    /// <summary>How many rules (and header overrides) fired for this call.</summary>
    public int Injections { get; init; }

    /// <summary>Set when the call counts toward maxActiveFaults; the host calls the engine's Complete once the call ends.</summary>
    public bool HoldsActiveFault { get; init; }

    /// <summary>The call's x-sim-* overrides were malformed or unauthorised: refused with <see cref="Status"/> and <see cref="Message"/>, not a fault (nothing counted).</summary>
    public bool Refused { get; init; }

    public bool IsNone => Injections == 0 && !Refused;

    public override string ToString() =>
        IsNone ? "none" : Refused ? $"refused {Status}: {Message}" : $"{Action} latency={Latency.TotalMilliseconds}ms rule={RuleName}";
}

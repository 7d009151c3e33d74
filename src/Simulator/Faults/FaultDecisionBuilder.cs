using Grpc.Core;
using PaySim.Contracts.Issuer.V1;

namespace PaySim.Simulator.Faults;

/// <summary>
/// The mutable accumulator behind one <see cref="FaultDecision"/>, which every firing kind writes its
/// effect into (<see cref="IFaultKind.Act"/>); lives on the stack.
/// </summary>
internal struct FaultDecisionBuilder
{
    public TimeSpan Latency;
    public FaultAction? Action;
    public string? RuleName;
    public IFaultKind? Kind;

    /// <summary>The terminal rule's options, for a kind whose act on the call needs more than the fields below.</summary>
    public object? Options;
    public StatusCode Status;
    public string? Message;
    public int? RetryPushbackMs;
    public string? DeclineCode;
    public DeclineReason DeclineReason;
    public ResetWhen ResetWhen;
    public TimeSpan HangMax;

    /// <summary>How long a terminal kind holds the reply after the handler ran (<c>slowReply</c>).</summary>
    public TimeSpan ReplyDelay;
    public CapacityGate? Gate;
    public TimeSpan SmsDelay;
    public bool SmsDrop;
    public int SmsCopies;
    public TimeSpan SmsReorderWindow;
    public TimeSpan? SmsAfterExpiry;

    /// <summary>A malformed or unauthorised x-sim-* override: the call is refused for its input; no fault fired.</summary>
    public bool Refused;

    public readonly bool HasTerminal => Action is not null;

    public void Terminal(FaultAction action, string? rule, IFaultKind kind, object? options = null)
    {
        Action = action;
        RuleName = rule;
        Kind = kind;
        Options = options;
    }

    public void Note(string? rule, IFaultKind kind)
    {
        if (RuleName is null && Action is null)
        {
            RuleName = rule;
            Kind = kind;
        }
    }

    public readonly FaultDecision ToDecision(int injections, bool holdsActiveFault) => new()
    {
        Latency = Latency,
        Action = Action ?? FaultAction.None,
        RuleName = RuleName,
        Kind = Kind,
        Options = Options,
        Status = Status,
        Message = Message,
        RetryPushbackMs = RetryPushbackMs,
        DeclineCode = DeclineCode,
        DeclineReason = DeclineReason,
        ResetWhen = ResetWhen,
        HangMax = HangMax,
        ReplyDelay = ReplyDelay,
        Gate = Gate,
        Sms = new SmsFaultActions
        {
            Delay = SmsDelay,
            Drop = SmsDrop,
            Copies = SmsCopies < 1 ? 1 : SmsCopies,
            ReorderWindow = SmsReorderWindow,
            AfterExpiry = SmsAfterExpiry,
        },
        Injections = injections,
        Refused = Refused,
        HoldsActiveFault = holdsActiveFault,
    };
}

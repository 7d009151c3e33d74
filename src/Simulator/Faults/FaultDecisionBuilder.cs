using System.Runtime.CompilerServices;
using Grpc.Core;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Faults.Engine;

namespace PaySim.Simulator.Faults;

/// <summary>The mutable accumulator behind one <see cref="FaultDecision"/>; lives on the stack.</summary>
internal struct FaultDecisionBuilder
{
    public const int FiredCapacity = 8;

    public TimeSpan Latency;
    public FaultAction Action;
    public string? RuleName;
    public FaultKind Kind;
    public StatusCode Status;
    public string? Message;
    public int? RetryPushbackMs;
    public string? DeclineCode;
    public DeclineReason DeclineReason;
    public ResetWhen ResetWhen;
    public TimeSpan HangMax;
    public CapacityGate? Gate;
    public TimeSpan SmsDelay;
    public bool SmsDrop;
    public int SmsCopies;
    public TimeSpan SmsReorderWindow;
    public TimeSpan? SmsAfterExpiry;
    public int Injections;

    /// <summary>The kind of the first header-driven injection (for the per-node counters).</summary>
    public FaultKind HeaderKind;

    // Counters are bumped only once maxActiveFaults admits the decision; up to 8 slots wait here.
    public FiredSlots Fired;
    public int FiredCount;

    public readonly bool HasTerminal => Action != FaultAction.None;

    public void FromHeader(FaultKind kind)
    {
        if (Injections == 0)
        {
            HeaderKind = kind;
        }

        Injections++;
    }

    public void Terminal(FaultAction action, string? rule, FaultKind kind)
    {
        Action = action;
        RuleName = rule;
        Kind = kind;
    }

    public void Note(string? rule, FaultKind kind)
    {
        if (RuleName is null && Action == FaultAction.None)
        {
            RuleName = rule;
            Kind = kind;
        }
    }

    public readonly FaultDecision ToDecision(bool holdsActiveFault) => new()
    {
        Latency = Latency,
        Action = Action,
        RuleName = RuleName,
        Kind = Kind,
        Status = Status,
        Message = Message,
        RetryPushbackMs = RetryPushbackMs,
        DeclineCode = DeclineCode,
        DeclineReason = DeclineReason,
        ResetWhen = ResetWhen,
        HangMax = HangMax,
        Gate = Gate,
        Sms = new SmsFaultActions
        {
            Delay = SmsDelay,
            Drop = SmsDrop,
            Copies = SmsCopies < 1 ? 1 : SmsCopies,
            ReorderWindow = SmsReorderWindow,
            AfterExpiry = SmsAfterExpiry,
        },
        Injections = Injections,
        HoldsActiveFault = holdsActiveFault,
    };

    [InlineArray(FiredCapacity)]
    public struct FiredSlots
    {
        private FaultSlot? _element;
    }
}

namespace PaySim.Simulator.Faults;

/// <summary>Every default and limit of the fault engine in one place (Polly's <c>*Constants</c> shape).</summary>
public static class FaultDefaults
{
    /// <summary>Used when neither <c>--fault-seed</c> nor <c>--seed</c> is given.</summary>
    public const ulong Seed = 42;

    public const double Probability = 1.0;

    public const bool HeaderOverrides = true;

    /// <summary>The request journal is off unless asked for: it costs a lock per call.</summary>
    public const int JournalCapacity = 0;

    public const int MaxJournalCapacity = 100_000;

    public const int MaxRules = 10_000;

    /// <summary>The largest <c>maxActiveFaults</c> (a rule document's) and <c>--max-active-faults</c>.</summary>
    public const int MaxActiveFaults = 1_000_000;

    /// <summary>
    /// The longest <c>error.message</c> or <c>decline.message</c> a rule may give: a gRPC status message is at most
    /// 300 characters on one line (docs/simulator.md, "Limits"); a longer one broke the reply's trailers.
    /// </summary>
    public const int MaxMessage = 300;

    public const int MaxConcurrentLimit = 100_000;

    /// <summary>Upper bound for a header-requested delay (x-sim-delay-ms) and for retry pushbacks.</summary>
    public const int MaxDelayMs = 600_000;

    /// <summary>
    /// The longest delay a rule may add to one call or message: every form of <c>latency</c> and
    /// <c>smsDelay</c>, <c>hang.max</c>, <c>smsReorder.window</c>, <c>smsAfterExpiry.extra</c>
    /// (also the cap of a lognormal's tail). Longer is refused when the rule is applied.
    /// </summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(MaxDelayMs);

    /// <summary>The longest schedule a rule may give: <c>start</c>, <c>duration</c>, <c>ramp.over</c>, <c>flap.period</c> and <c>flap.downFor</c>.</summary>
    public static readonly TimeSpan MaxSchedule = TimeSpan.FromHours(24);

    /// <summary>Read by the host: how often node-state rules (outage, flap, notServing) are re-evaluated.</summary>
    public static readonly TimeSpan NodeStateTick = TimeSpan.FromMilliseconds(50);

    /// <summary>A hang without <c>max</c> ends after this, so a caller without a deadline cannot pin the server.</summary>
    public static readonly TimeSpan HangMax = TimeSpan.FromMinutes(10);

    public static readonly TimeSpan SmsReorderWindow = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan SmsAfterExpiryExtra = TimeSpan.FromSeconds(1);

    /// <summary>Prefix of the message of every injected error or decline, so a log line says it was on purpose.</summary>
    public const string MessagePrefix = "injected fault: ";

    public const string HeaderFault = "x-sim-fault";

    public const string HeaderDelayMs = "x-sim-delay-ms";

    /// <summary>With --control-token, header overrides act only on calls that carry this header with the token.</summary>
    public const string HeaderToken = "x-sim-token";

    /// <summary>The longest description a rule or a rule document may carry.</summary>
    public const int MaxDescription = 500;

    public const string HeaderStatus = "x-sim-status";

    public const string RetryPushbackTrailer = "grpc-retry-pushback-ms";
}

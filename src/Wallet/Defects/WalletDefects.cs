namespace PaySim.Wallet.Defects;

/// <summary>One planted integration mistake: its switch name, what the wallet then does wrong, and the real-world bug it stands for.</summary>
public sealed record WalletDefect(string Name, string Behaviour, string StandsFor);

/// <summary>
/// The planted defects (<c>--defect NAME</c>, <see cref="Configuration.WalletOptions.Defects"/>): realistic integration mistakes
/// layered on resilient mode, so the load tests can prove that their verdicts go red when a wallet is broken
/// (<c>selftest</c>). All are off by default; each one sits behind one switch close to the code it breaks.
/// </summary>
public static class WalletDefects
{
    public const string NoFailover = "no-failover";
    public const string NoDeadline = "no-deadline";
    public const string RetryNewKey = "retry-new-key";
    public const string IgnoreIdempotencyKey = "ignore-idempotency-key";
    public const string StickyNode = "sticky-node";
    public const string NoHealthCheck = "no-health-check";
    public const string RetryStorm = "retry-storm";
    public const string SwallowErrors = "swallow-errors";
    public const string MisreadApproval = "misread-approval";
    public const string NoOtpResend = "no-otp-resend";
    public const string CrashUnsafe = "crash-unsafe";
    public const string Unbalanced = "unbalanced";
    public const string RetryDeclines = "retry-declines";
    public const string LateCaptureFails = "late-capture-fails";

    public static readonly IReadOnlyList<WalletDefect> All =
    [
        new(NoFailover, "always calls the first issuer node, up or down", "a client built with one hard-coded endpoint, or a balancer that never marks a node down"),
        new(NoDeadline, "calls the issuer without a deadline (no attempt or call timeout)", "a gRPC client without a deadline: one hung issuer ties up the wallet's threads and the user's request for ever"),
        new(RetryNewKey, "retries a failed Authorize with a fresh issuer idempotency key and no order reference", "a retry loop that rebuilds the request, so the issuer cannot tell the retry from a new payment"),
        new(IgnoreIdempotencyKey, "treats every POST /payments as a new payment, whatever its Idempotency-Key", "an API that accepts an Idempotency-Key header but never stores it"),
        new(StickyNode, "sends every call to issuer-1 while it is up", "pick-first balancing or one long-lived connection, so the other nodes stand idle"),
        new(NoHealthCheck, "ignores NOT_SERVING from grpc.health.v1 and keeps sending calls to that node", "a balancer that watches connections only, not the service's health"),
        new(RetryStorm, "retries without a budget, without backoff and on every error", "retries added in a hurry: every failure multiplies the load on an issuer that is already struggling"),
        new(SwallowErrors, "answers 201 although Authorize failed or got no answer", "an exception handler that logs and returns success"),
        new(MisreadApproval, "treats an approval as a decline and answers 402", "a response-code table with the wrong entry for 00"),
        new(NoOtpResend, "the resend endpoint answers 501 resend_not_supported", "an app whose 'send the code again' button was never wired to the issuer"),
        new(CrashUnsafe, "records the payment only after Authorize returns", "write-after-call: a crash between the issuer's hold and the wallet's insert leaves money held that the wallet knows nothing of"),
        new(RetryDeclines, "retries an Authorize the issuer declined (05, 51, 59, 61, 65…) as if it were a network error, each time under a fresh issuer idempotency key for the same order", "a retry policy whose 'should handle' takes every non-approval for a failure: the issuer sees the declined order again and again, which card schemes limit (excessive reattempts) and fraud rules punish"),
        new(LateCaptureFails, "answers 504 issuer_unavailable when the Capture reply took longer than 1 s, although the capture went through and the payment stays completed", "a deadline checked after the call instead of enforced on it: a stopwatch around the capture reports 'the bank did not answer in time' while the commit after it still runs, so the user is told the payment failed and the card is charged anyway"),
        new(Unbalanced, "every instance but wallet-1 closes each connection after one reply (Connection: close) and refuses new connections 750 ms of every second, so a balancer with passive health keeps skipping it and wallet-1 takes most of the load", "a load balancer with a stale pool that keeps marking replicas down, or sticky sessions that pin clients to one replica"),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(d => d.Name).ToArray();

    public static bool IsKnown(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> is planted; read once when the class that misbehaves is built, never per call.</summary>
    public static bool IsOn(IReadOnlyList<string>? defects, string name) => defects is not null && defects.Contains(name, StringComparer.Ordinal);
}

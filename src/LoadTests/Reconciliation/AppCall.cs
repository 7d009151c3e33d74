using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Reconciliation;

/// <summary>
/// One money call the load generator made (the app's view): a payment attempt or a refund attempt, with the
/// Idempotency-Key and order reference it sent, the card (PAN) it meant, the amount, how it ended and which
/// instance answered. A payment's <see cref="PaymentId"/> is the wallet's id from a 2xx reply; a refund's is the
/// payment it refunds. <see cref="DoubleTap"/>: one of two requests the app sent at once with the key (client.doubleTap).
/// </summary>
internal sealed record AppCall(
    bool IsRefund,
    string UserId,
    string Pan,
    string IdempotencyKey,
    string OrderReference,
    string Merchant,
    long AmountMinor,
    string? PaymentId,
    CallOutcome Outcome,
    int Status,
    string? Code,
    string? ServedBy,
    long StartedUnixMs,
    long EndedUnixMs,
    bool DoubleTap = false)
{
    /// <summary>The wallet's code for "the same key is still being processed": not an answer either way.</summary>
    public const string InProgressCode = "payment_in_progress";

    /// <summary>
    /// The wallet itself answered that the payment failed: 502, 503 or 504 (the reference wallet's "the issuer failed,
    /// is unavailable, did not answer") with the wallet's own error code in the body. Not a proxy's or a load
    /// balancer's page (no code: <c>http_502</c>), not a 500 (what an instance that dies mid-request or hits an
    /// unexpected error answers, which says nothing about the payment), not a timeout, a reset or a 409 in progress.
    /// </summary>
    public bool WalletSaidFailed =>
        Status is 502 or 503 or 504 && Code is { Length: > 0 } code && !code.StartsWith(WalletReply<object>.NoCodePrefix, StringComparison.Ordinal);

    public static CallOutcome Classify(int status, string? code) => status switch
    {
        >= 200 and < 300 => CallOutcome.Succeeded,
        409 when code == InProgressCode => CallOutcome.InProgress,
        408 => CallOutcome.Timeout,
        >= 400 and < 500 => CallOutcome.Rejected,
        >= 500 => CallOutcome.ServerError,
        _ => code == "timeout" ? CallOutcome.Timeout : CallOutcome.NoAnswer,
    };
}

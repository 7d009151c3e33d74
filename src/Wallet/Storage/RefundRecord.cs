namespace PaySim.Wallet.Storage;

internal sealed record RefundRecord(
    string Id,
    string PaymentId,
    string UserId,
    string IdempotencyKey,
    long AmountMinor,
    string Status,
    string? IssuerRefundId,
    long CreatedAtMs,
    long UpdatedAtMs = 0);

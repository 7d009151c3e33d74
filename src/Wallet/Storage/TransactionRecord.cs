namespace PaySim.Wallet.Storage;

/// <summary>One line of a user's history: a payment (with its refunds) or a refund.</summary>
internal sealed record TransactionRecord(
    string Id,
    string Kind,
    string Status,
    long AmountMinor,
    string Currency,
    string Merchant,
    string OrderReference,
    string PaymentId,
    string? ErrorCode,
    long CreatedAtMs,
    string IdempotencyKey,
    string CardId,
    string? AuthorizationId,
    long UpdatedAtMs,
    IReadOnlyList<RefundRecord> Refunds);

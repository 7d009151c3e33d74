namespace PaySim.Wallet.Storage;

/// <summary>One line of a user's history: a payment or a refund.</summary>
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
    long CreatedAtMs);

namespace PaySim.LoadTests.Wallets;

/// <summary>
/// One line of a user's history as the wallet reports it (<c>GET /users/{id}/transactions</c>): the wallet's view
/// for reconciliation. <see cref="Kind"/> is "payment" or "refund"; a refund's <see cref="PaymentId"/> names the payment
/// it returns money from. Fields the wallet does not send are null.
/// </summary>
public sealed record WalletTransaction(
    string Id,
    string Kind,
    string Status,
    long AmountMinor,
    string? PaymentId,
    string? OrderReference,
    string? Merchant,
    string? IdempotencyKey,
    string? CardId);

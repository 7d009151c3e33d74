namespace PaySim.Wallet.Storage;

internal sealed record PaymentRecord(
    string Id,
    string UserId,
    string IdempotencyKey,
    string CardId,
    long AmountMinor,
    string Currency,
    string Merchant,
    string OrderReference,
    string Status,
    string? AuthorizationId,
    string? ErrorCode,
    string? ErrorMessage,
    int? ErrorStatus,
    long RefundedMinor,
    long CreatedAtMs,
    // The last write; a process working on the payment keeps it fresh, so an old one means nobody is.
    long UpdatedAtMs = 0,
    // Declined after its Authorize was approved, and the Void of that hold has not been confirmed yet.
    bool ReleasePending = false,
    // SMS step-up (the issuer answered 1A): the challenge, where its code went, when the code lapses and for how long
    // a code lives, and the last code tried (so a pass that finds the authentication cut short can ask the issuer again).
    string? ChallengeId = null,
    string? ChallengeMaskedPhone = null,
    long? ChallengeExpiresAtMs = null,
    int? ChallengeTtlSeconds = null,
    string? ChallengeOtp = null)
{
    /// <summary>True when a retry carries the same request as the one stored under its key.</summary>
    public bool SameRequest(string cardId, long amountMinor, string currency, string merchant, string orderReference) =>
        CardId == cardId && AmountMinor == amountMinor && Currency == currency && Merchant == merchant && OrderReference == orderReference;
}

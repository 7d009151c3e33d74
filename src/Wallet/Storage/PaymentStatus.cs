namespace PaySim.Wallet.Storage;

/// <summary>Statuses of payments (all of these) and refunds (pending, completed).</summary>
internal static class PaymentStatus
{
    /// <summary>Reserved under its Idempotency-Key while the issuer calls run (resilient mode).</summary>
    public const string Pending = "pending";
    public const string Completed = "completed";

    /// <summary>The issuer declined: final, replayed to a retry with the same key.</summary>
    public const string Declined = "declined";

    /// <summary>The issuer could not be reached: a retry with the same key resumes it with the same issuer keys.</summary>
    public const string Failed = "failed";

    /// <summary>
    /// Settled by the recovery pass (resilient): abandoned (its process died, or it failed and no retry came within
    /// the stale window) before it was captured; its hold was released with Void. Final, replayed to a retry.
    /// </summary>
    public const string Voided = "voided";

    /// <summary>
    /// Settled by the recovery pass: abandoned after the issuer had captured it, so no client ever saw it succeed;
    /// the wallet refunded it in full (a refund row of its own). Final, replayed to a retry.
    /// </summary>
    public const string Reversed = "reversed";

    /// <summary>
    /// The issuer answered 1A (SMS step-up): nothing is held until the cardholder's code completes it
    /// (<c>POST /payments/{id}/authenticate</c>). Replayed to a retry with the same key as the same challenge.
    /// </summary>
    public const string PendingAuthentication = "pending_authentication";

    /// <summary>
    /// A step-up challenge nobody completed: its code expired (or the issuer forgot it) and the recovery pass closed
    /// it. Nothing was held. Final, replayed to a retry.
    /// </summary>
    public const string Expired = "expired";
}

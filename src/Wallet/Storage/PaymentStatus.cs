namespace PaySim.Wallet.Storage;

internal static class PaymentStatus
{
    /// <summary>Reserved under its Idempotency-Key while the issuer calls run (resilient mode).</summary>
    public const string Pending = "pending";
    public const string Completed = "completed";

    /// <summary>The issuer declined: final, replayed to a retry with the same key.</summary>
    public const string Declined = "declined";

    /// <summary>The issuer could not be reached: a retry with the same key resumes it with the same issuer keys.</summary>
    public const string Failed = "failed";
}

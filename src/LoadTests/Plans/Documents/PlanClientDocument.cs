namespace PaySim.LoadTests.Plans.Documents;

/// <summary>How the simulated app behaves toward the wallet.</summary>
internal sealed class PlanClientDocument
{
    /// <summary>Per-request timeout of the app's HTTP calls, e.g. "5s".</summary>
    public string? Timeout { get; set; }

    /// <summary>How often the app retries a failed payment with the same Idempotency-Key (as a real app does after a timeout).</summary>
    public int? PaymentRetries { get; set; }

    /// <summary>How long the app waits for the OTP SMS, e.g. "3s".</summary>
    public string? SmsTimeout { get; set; }

    /// <summary>How often the app asks the wallet to resend the OTP when the SMS is late (0 = never), as a user taps "resend".</summary>
    public int? OtpResends { get; set; }

    /// <summary>The share of payments (0..1) the user taps "Pay" twice at once: two concurrent requests with one Idempotency-Key and one body.</summary>
    public double? DoubleTap { get; set; }

    /// <summary>Payment amounts in minor units, drawn uniformly from [min, max].</summary>
    public long? MinAmountMinor { get; set; }

    public long? MaxAmountMinor { get; set; }
}

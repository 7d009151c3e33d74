namespace PaySim.LoadTests.Plans;

internal sealed record ClientBehaviour
{
    public const int DefaultOtpResends = 1;
    public const int MaxOtpResends = 5;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    public int PaymentRetries { get; init; }

    public TimeSpan SmsTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the app asks the wallet to resend the OTP when no SMS came within <see cref="SmsTimeout"/>.</summary>
    public int OtpResends { get; init; } = DefaultOtpResends;

    /// <summary>
    /// The share of payments (pay, pay_qr; 0..1) sent twice at once with the same Idempotency-Key and body, as a user
    /// double-tapping "Pay": the second request is timed as <c>pay_tap2</c>. Which payments is drawn from the run's seed.
    /// </summary>
    public double DoubleTap { get; init; }

    public long MinAmountMinor { get; init; } = 100;

    public long MaxAmountMinor { get; init; } = 2_000;
}

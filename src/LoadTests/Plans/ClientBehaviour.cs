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

    public long MinAmountMinor { get; init; } = 100;

    public long MaxAmountMinor { get; init; } = 2_000;
}

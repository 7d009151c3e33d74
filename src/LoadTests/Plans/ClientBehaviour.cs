namespace PaySim.LoadTests.Plans;

internal sealed record ClientBehaviour
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    public int PaymentRetries { get; init; }

    public TimeSpan SmsTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public long MinAmountMinor { get; init; } = 100;

    public long MaxAmountMinor { get; init; } = 2_000;
}

namespace PaySim.Simulator.Binding;

internal sealed record OtpOptions
{
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromSeconds(300);
    public const int DefaultAttempts = 3;
    public static readonly TimeSpan DefaultResendCooldown = TimeSpan.FromSeconds(60);

    public TimeSpan Ttl { get; init; } = DefaultTtl;
    public int Attempts { get; init; } = DefaultAttempts;
    public TimeSpan ResendCooldown { get; init; } = DefaultResendCooldown;
}

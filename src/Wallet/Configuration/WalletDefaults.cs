namespace PaySim.Wallet.Configuration;

/// <summary>Every default of <see cref="WalletOptions"/> in one place, so docs and code cannot drift.</summary>
public static class WalletDefaults
{
    public const int Instances = 1;
    public const int Port = 7300;
    public const string BindAddress = "127.0.0.1";
    public const WalletMode Mode = WalletMode.Resilient;
    public const string DatabasePath = "wallet.db";
    public const string BalancingPolicy = BalancingPolicies.RoundRobin;
    public const string InstanceNamePrefix = "wallet";
    public const int Seed = 1;

    // Abuse limits
    public const int MaxRequestBodyBytes = 64 * 1024;
    public const int MaxConnections = 1024;

    public static readonly IReadOnlyList<Uri> IssuerUris =
    [
        new("http://localhost:7101"),
        new("http://localhost:7102"),
        new("http://localhost:7103"),
    ];

    // Accounts
    public const int PasswordMinLength = 8;
    public const int PasswordHashIterations = 100_000;
    // The PIN's space is only 10^6: it gets the password's work, not less.
    public const int PinHashIterations = PasswordHashIterations;
    public const int PinMaxAttempts = 5;
    public static readonly TimeSpan PinLockout = TimeSpan.FromMinutes(15);
    public const int LoginMaxAttempts = 5;
    public static readonly TimeSpan LoginLockout = TimeSpan.FromMinutes(15);
    public const int LoginRatePerMinute = 60;
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(24);
    public static readonly Uri SmsGatewayUri = new("http://localhost:7201");
    public static readonly TimeSpan PasswordResetCodeTtl = TimeSpan.FromMinutes(5);
    public const int PasswordResetMaxAttempts = 3;
    public static readonly TimeSpan DeviceCodeTtl = TimeSpan.FromMinutes(5);
    public const int DeviceCodeMaxAttempts = 3;
    public const bool RequirePaymentPin = true;

    // Resilient mode
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(8);
    public const int MaxRetryAttempts = 3;
    public static readonly TimeSpan RetryBaseDelay = TimeSpan.FromMilliseconds(40);
    public static readonly TimeSpan RetryMaxDelay = TimeSpan.FromSeconds(1);
    public const int RetryBudgetMaxTokens = 100;
    public const double RetryBudgetTokenRatio = 0.1;
    public static readonly TimeSpan HealthCheckInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromMilliseconds(500);
    public const string HealthCheckService = "";
    public const int OutlierConsecutiveFailures = 5;
    public static readonly TimeSpan OutlierEjectionTime = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan ReconnectInitialBackoff = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan ReconnectMaxBackoff = TimeSpan.FromSeconds(2);
    public const int ResendMaxAttempts = 3;
    public static readonly TimeSpan ResendMaxWait = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan RecoveryInterval = TimeSpan.FromSeconds(1);
}

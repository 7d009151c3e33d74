using System.Net;

namespace PaySim.Wallet.Configuration;

/// <summary>
/// Checks every field and reports all bad ones in one line, so a user fixes them in one go. A field that has a
/// command-line flag is named with it (<c>balancingPolicy (--policy) must be …</c>), as the flag is what a user of
/// the command line typed and the field what a <c>--config</c> file holds.
/// </summary>
internal static class WalletOptionsValidator
{
    // The ranges of the fields a flag sets; the command line declares the same ones (NumberOptions.Within).
    public const int MaxInstances = 64;
    public const int MaxPort = 65535;
    public const int MinHashIterations = 1_000;
    public const int MaxHashIterations = 10_000_000;
    public const int MaxLoginRatePerMinute = 1_000_000;
    public const int MinRequestBodyBytes = 1024;
    public const int MaxRequestBodyBytes = 16 * 1024 * 1024;
    public const int MaxConnections = 1_000_000;

    public static IReadOnlyList<string> Validate(WalletOptions o)
    {
        var errors = new List<string>();
        void Check(bool ok, string error)
        {
            if (!ok)
            {
                errors.Add(error);
            }
        }

        Check(o.Instances is >= 1 and <= MaxInstances, $"instances (--instances) must be 1..{MaxInstances} (got {o.Instances})");
        Check(o.Port == 0 || (o.Port >= 1 && o.Port + Math.Max(o.Instances, 1) - 1 <= MaxPort), $"port (--port) must be 0 (ephemeral) or 1..{MaxPort} for every instance (got {o.Port})");
        Check(IPAddress.TryParse(o.BindAddress ?? string.Empty, out _), $"bindAddress (--bind) must be an IP address (got '{o.BindAddress}')");
        Check(Enum.IsDefined(o.Mode), $"mode (--mode) must be naive or resilient (got '{o.Mode}')");
        if (o.IssuerUris is null || o.IssuerUris.Count == 0)
        {
            errors.Add("issuerUris (--issuer) must name at least one issuer node (e.g. http://localhost:7101)");
        }
        else
        {
            foreach (var uri in o.IssuerUris)
            {
                Check(uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Port > 0,
                    $"issuerUris (--issuer) entries must be absolute http(s) URLs (got '{uri}')");
            }
        }

        Check(o.SmsGatewayUri is { IsAbsoluteUri: true } && (o.SmsGatewayUri.Scheme == Uri.UriSchemeHttp || o.SmsGatewayUri.Scheme == Uri.UriSchemeHttps) && o.SmsGatewayUri.Port > 0,
            $"smsGatewayUri (--sms) must be an absolute http(s) URL like http://localhost:7201 (got '{o.SmsGatewayUri}')");
        Check(o.PasswordResetCodeTtl >= TimeSpan.FromSeconds(10) && o.PasswordResetCodeTtl <= TimeSpan.FromHours(24), $"passwordResetCodeTtl must be 10 s..24 h (got {o.PasswordResetCodeTtl})");
        Check(o.PasswordResetMaxAttempts is >= 1 and <= 100, $"passwordResetMaxAttempts must be 1..100 (got {o.PasswordResetMaxAttempts})");
        Check(o.DeviceCodeTtl >= TimeSpan.FromSeconds(10) && o.DeviceCodeTtl <= TimeSpan.FromHours(24), $"deviceCodeTtl must be 10 s..24 h (got {o.DeviceCodeTtl})");
        Check(o.DeviceCodeMaxAttempts is >= 1 and <= 100, $"deviceCodeMaxAttempts must be 1..100 (got {o.DeviceCodeMaxAttempts})");
        Check(!string.IsNullOrWhiteSpace(o.DatabasePath), "databasePath must not be empty");
        Check(BalancingPolicies.All.Contains(o.BalancingPolicy), $"balancingPolicy (--policy) must be one of {string.Join(", ", BalancingPolicies.All)} (got '{o.BalancingPolicy}')");
        Check(!string.IsNullOrWhiteSpace(o.InstanceNamePrefix), "instanceNamePrefix must not be empty");
        Check(o.FirstInstanceNumber is >= 1 and <= 999, $"firstInstanceNumber must be 1..999 (got {o.FirstInstanceNumber})");
        Check(o.TimeProvider is not null, "timeProvider must not be null");
        Check(o.PasswordMinLength is >= 6 and <= 128, $"passwordMinLength must be 6..128 (got {o.PasswordMinLength})");
        Check(o.PasswordHashIterations is >= MinHashIterations and <= MaxHashIterations, $"passwordHashIterations (--hash-iterations) must be {MinHashIterations}..{MaxHashIterations} (got {o.PasswordHashIterations})");
        Check(o.PinHashIterations is >= MinHashIterations and <= MaxHashIterations, $"pinHashIterations (--hash-iterations) must be {MinHashIterations}..{MaxHashIterations} (got {o.PinHashIterations})");
        Check(o.PinMaxAttempts is >= 1 and <= 100, $"pinMaxAttempts must be 1..100 (got {o.PinMaxAttempts})");
        Check(o.PinLockout > TimeSpan.Zero, $"pinLockout must be positive (got {o.PinLockout})");
        Check(o.LoginMaxAttempts is >= 1 and <= 100, $"loginMaxAttempts must be 1..100 (got {o.LoginMaxAttempts})");
        Check(o.LoginLockout > TimeSpan.Zero, $"loginLockout must be positive (got {o.LoginLockout})");
        Check(o.LoginRatePerMinute is >= 0 and <= MaxLoginRatePerMinute, $"loginRatePerMinute (--login-rate) must be 0 (off)..{MaxLoginRatePerMinute} (got {o.LoginRatePerMinute})");
        Check(o.MaxRequestBodyBytes is >= MinRequestBodyBytes and <= MaxRequestBodyBytes, $"maxRequestBodyBytes (--max-body-bytes) must be {MinRequestBodyBytes}..{MaxRequestBodyBytes} (got {o.MaxRequestBodyBytes})");
        Check(o.MaxConnections is >= 1 and <= MaxConnections, $"maxConnections (--max-connections) must be 1..{MaxConnections} (got {o.MaxConnections})");
        Check(o.SessionLifetime > TimeSpan.Zero, $"sessionLifetime must be positive (got {o.SessionLifetime})");
        Check(o.AttemptTimeout > TimeSpan.Zero, $"attemptTimeout must be positive (got {o.AttemptTimeout})");
        Check(o.CallTimeout >= o.AttemptTimeout, $"callTimeout must be >= attemptTimeout (got {o.CallTimeout} < {o.AttemptTimeout})");
        Check(o.MaxRetryAttempts is >= 0 and <= 10, $"maxRetryAttempts must be 0..10 (got {o.MaxRetryAttempts})");
        Check(o.RetryBaseDelay > TimeSpan.Zero, $"retryBaseDelay must be positive (got {o.RetryBaseDelay})");
        Check(o.RetryMaxDelay >= o.RetryBaseDelay, $"retryMaxDelay must be >= retryBaseDelay (got {o.RetryMaxDelay})");
        Check(o.RetryBudgetMaxTokens is >= 1 and <= 100_000, $"retryBudgetMaxTokens must be 1..100000 (got {o.RetryBudgetMaxTokens})");
        Check(o.RetryBudgetTokenRatio is > 0 and <= 1, $"retryBudgetTokenRatio must be in (0, 1] (got {o.RetryBudgetTokenRatio})");
        Check(o.HealthCheckInterval >= TimeSpan.FromMilliseconds(10), $"healthCheckInterval must be >= 10ms (got {o.HealthCheckInterval})");
        Check(o.HealthCheckTimeout > TimeSpan.Zero, $"healthCheckTimeout must be positive (got {o.HealthCheckTimeout})");
        Check(o.HealthCheckService is not null, "healthCheckService must not be null (use \"\" for the whole server)");
        Check(o.OutlierConsecutiveFailures is >= 1 and <= 1000, $"outlierConsecutiveFailures must be 1..1000 (got {o.OutlierConsecutiveFailures})");
        Check(o.OutlierEjectionTime > TimeSpan.Zero, $"outlierEjectionTime must be positive (got {o.OutlierEjectionTime})");
        Check(o.ReconnectInitialBackoff > TimeSpan.Zero, $"reconnectInitialBackoff must be positive (got {o.ReconnectInitialBackoff})");
        Check(o.ReconnectMaxBackoff >= o.ReconnectInitialBackoff, $"reconnectMaxBackoff must be >= reconnectInitialBackoff (got {o.ReconnectMaxBackoff})");
        Check(o.ResendMaxAttempts is >= 1 and <= 10, $"resendMaxAttempts must be 1..10 (got {o.ResendMaxAttempts})");
        Check(o.ResendMaxWait >= TimeSpan.Zero, $"resendMaxWait must not be negative (got {o.ResendMaxWait})");
        Check(o.RecoveryInterval >= TimeSpan.FromMilliseconds(10) && o.RecoveryInterval <= TimeSpan.FromHours(1),
            $"recoveryInterval must be 10ms..1h (got {o.RecoveryInterval})");
        if (o.Defects is null)
        {
            errors.Add("defects must be a list (empty for none)");
        }
        else
        {
            foreach (var defect in o.Defects)
            {
                Check(Defects.WalletDefects.IsKnown(defect), $"defects (--defect): unknown defect '{defect}'; known: {string.Join(", ", Defects.WalletDefects.Names)}");
            }

            Check(o.Defects.Count == 0 || o.Mode == WalletMode.Resilient, "defects are planted on resilient mode; use mode resilient or no defect");
        }

        return errors;
    }

    public static void ThrowIfInvalid(WalletOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new WalletOptionsException(errors);
        }
    }
}

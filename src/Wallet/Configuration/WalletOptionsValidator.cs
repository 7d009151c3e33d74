using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace PaySim.Wallet.Configuration;

/// <summary>
/// Checks every field and reports all bad ones in one line, so a user fixes them in one go. A field that has a
/// command-line flag is named with it (<c>balancingPolicy (--policy) must be …</c>), as the flag is what a user of
/// the command line typed and the field what a <c>--config</c> file holds. Every number and duration has a range, so
/// no value a start accepts can fail later on a request or a background timer (a date past the year 9999, a timer
/// longer than .NET allows, a timeout Polly refuses).
/// </summary>
internal static partial class WalletOptionsValidator
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
    public const int MaxIssuerNodes = 64;
    public const int MaxInstanceNamePrefixLength = 32;

    /// <summary>The range of every whole-number field, by its name in a <c>--config</c> file (docs/wallet.md, Configuration).</summary>
    public static readonly IReadOnlyDictionary<string, (int Min, int Max)> WholeNumbers = new Dictionary<string, (int, int)>(StringComparer.Ordinal)
    {
        ["instances"] = (1, MaxInstances),
        ["port"] = (0, MaxPort),
        ["firstInstanceNumber"] = (1, 999),
        ["seed"] = (int.MinValue, int.MaxValue),
        ["maxRequestBodyBytes"] = (MinRequestBodyBytes, MaxRequestBodyBytes),
        ["maxConnections"] = (1, MaxConnections),
        ["passwordMinLength"] = (6, 128),
        ["passwordHashIterations"] = (MinHashIterations, MaxHashIterations),
        ["pinHashIterations"] = (MinHashIterations, MaxHashIterations),
        ["pinMaxAttempts"] = (1, 100),
        ["loginMaxAttempts"] = (1, 100),
        ["loginRatePerMinute"] = (0, MaxLoginRatePerMinute),
        ["passwordResetMaxAttempts"] = (1, 100),
        ["deviceCodeMaxAttempts"] = (1, 100),
        ["maxRetryAttempts"] = (0, 10),
        ["retryBudgetMaxTokens"] = (1, 100_000),
        ["outlierConsecutiveFailures"] = (1, 1000),
        ["resendMaxAttempts"] = (1, 10),
    };

    /// <summary>
    /// The range of every duration field, by its name in a <c>--config</c> file. Polly takes timeouts of 10 ms..24 h
    /// and retry delays up to 24 h; .NET timers end at about 49 days and dates at the year 9999.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (TimeSpan Min, TimeSpan Max)> Durations = new Dictionary<string, (TimeSpan, TimeSpan)>(StringComparer.Ordinal)
    {
        ["pinLockout"] = (TimeSpan.FromSeconds(1), TimeSpan.FromDays(30)),
        ["loginLockout"] = (TimeSpan.FromSeconds(1), TimeSpan.FromDays(30)),
        ["sessionLifetime"] = (TimeSpan.FromSeconds(1), TimeSpan.FromDays(365)),
        ["passwordResetCodeTtl"] = (TimeSpan.FromSeconds(10), TimeSpan.FromHours(24)),
        ["deviceCodeTtl"] = (TimeSpan.FromSeconds(10), TimeSpan.FromHours(24)),
        ["attemptTimeout"] = (TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(24)),
        ["callTimeout"] = (TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(24)),
        ["retryBaseDelay"] = (TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(24)),
        ["retryMaxDelay"] = (TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(24)),
        ["healthCheckInterval"] = (TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1)),
        ["healthCheckTimeout"] = (TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1)),
        ["outlierEjectionTime"] = (TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1)),
        ["reconnectInitialBackoff"] = (TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1)),
        ["reconnectMaxBackoff"] = (TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1)),
        ["resendMaxWait"] = (TimeSpan.Zero, TimeSpan.FromMinutes(1)),
        ["recoveryInterval"] = (TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1)),
    };

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

        // "{field} ({flag}) must be {min}..{max} (got {value})"; zeroMeans names what the lowest value does, e.g. " (off)".
        void Whole(string field, int value, string? flag = null, string zeroMeans = "")
        {
            var (min, max) = WholeNumbers[field];
            Check(value >= min && value <= max, $"{Named(field, flag)} must be {min}{zeroMeans}..{max} (got {value})");
        }

        void Duration(string field, TimeSpan value)
        {
            var (min, max) = Durations[field];
            Check(value >= min && value <= max, $"{field} must be {DurationRange(field)} (got {value})");
        }

        Whole("instances", o.Instances, "--instances");
        if (o.Port >= 1 && o.Port <= MaxPort && o.Instances is > 1 and <= MaxInstances && o.Port + o.Instances - 1 > MaxPort)
        {
            errors.Add($"port (--port) must be at most {MaxPort + 1 - o.Instances} with instances (--instances) {o.Instances}: the last instance would need port {o.Port + o.Instances - 1} (got {o.Port})");
        }
        else
        {
            Check(o.Port is >= 0 and <= MaxPort, $"port (--port) must be 0 (ephemeral) or 1..{MaxPort} (got {o.Port})");
        }

        Check(IPAddress.TryParse(o.BindAddress ?? string.Empty, out _), $"bindAddress (--bind) must be an IP address (got '{o.BindAddress}')");
        Check(Enum.IsDefined(o.Mode), $"mode (--mode) must be naive or resilient (got '{o.Mode}')");
        if (o.IssuerUris is null || o.IssuerUris.Count == 0)
        {
            errors.Add("issuerUris (--issuer) must name at least one issuer node (e.g. http://localhost:7101)");
        }
        else if (o.IssuerUris.Count > MaxIssuerNodes)
        {
            errors.Add($"issuerUris (--issuer) must name at most {MaxIssuerNodes} issuer nodes (got {o.IssuerUris.Count})");
        }
        else
        {
            foreach (var uri in o.IssuerUris)
            {
                if (UrlProblem(uri) is { } problem)
                {
                    errors.Add($"issuerUris (--issuer) entries must be absolute http(s) URLs with a port 1..{MaxPort}; '{uri}' {problem}");
                }
            }
        }

        if (UrlProblem(o.SmsGatewayUri) is { } smsProblem)
        {
            errors.Add($"smsGatewayUri (--sms) must be an absolute http(s) URL like http://localhost:7201 with a port 1..{MaxPort}; '{o.SmsGatewayUri}' {smsProblem}");
        }

        Duration("passwordResetCodeTtl", o.PasswordResetCodeTtl);
        Whole("passwordResetMaxAttempts", o.PasswordResetMaxAttempts);
        Duration("deviceCodeTtl", o.DeviceCodeTtl);
        Whole("deviceCodeMaxAttempts", o.DeviceCodeMaxAttempts);
        Check(!string.IsNullOrWhiteSpace(o.DatabasePath), "databasePath must not be empty");
        Check(BalancingPolicies.All.Contains(o.BalancingPolicy), $"balancingPolicy (--policy) must be one of {string.Join(", ", BalancingPolicies.All)} (got '{o.BalancingPolicy}')");
        // The instance's name goes out in the X-Served-By header of every reply: header-safe characters only.
        Check(o.InstanceNamePrefix is not null && InstanceNamePrefixPattern().IsMatch(o.InstanceNamePrefix),
            $"instanceNamePrefix must be 1 to {MaxInstanceNamePrefixLength} letters, digits, '.', '_' or '-' (got '{o.InstanceNamePrefix}')");
        Whole("firstInstanceNumber", o.FirstInstanceNumber);
        Check(o.TimeProvider is not null, "timeProvider must not be null");
        Check(Enum.IsDefined(o.MinimumLogLevel), $"minimumLogLevel must be one of {string.Join(", ", Enum.GetNames<Microsoft.Extensions.Logging.LogLevel>().Select(JsonName))} (got '{o.MinimumLogLevel}')");
        Whole("passwordMinLength", o.PasswordMinLength);
        Whole("passwordHashIterations", o.PasswordHashIterations, "--hash-iterations");
        Whole("pinHashIterations", o.PinHashIterations, "--hash-iterations");
        Whole("pinMaxAttempts", o.PinMaxAttempts);
        Duration("pinLockout", o.PinLockout);
        Whole("loginMaxAttempts", o.LoginMaxAttempts);
        Duration("loginLockout", o.LoginLockout);
        Whole("loginRatePerMinute", o.LoginRatePerMinute, "--login-rate", " (off)");
        Whole("maxRequestBodyBytes", o.MaxRequestBodyBytes, "--max-body-bytes");
        Whole("maxConnections", o.MaxConnections, "--max-connections");
        Duration("sessionLifetime", o.SessionLifetime);
        Duration("attemptTimeout", o.AttemptTimeout);
        Duration("callTimeout", o.CallTimeout);
        Check(o.CallTimeout >= o.AttemptTimeout, $"callTimeout must be >= attemptTimeout (got {o.CallTimeout} < {o.AttemptTimeout})");
        Whole("maxRetryAttempts", o.MaxRetryAttempts);
        Duration("retryBaseDelay", o.RetryBaseDelay);
        Duration("retryMaxDelay", o.RetryMaxDelay);
        Check(o.RetryMaxDelay >= o.RetryBaseDelay, $"retryMaxDelay must be >= retryBaseDelay (got {o.RetryMaxDelay} < {o.RetryBaseDelay})");
        Whole("retryBudgetMaxTokens", o.RetryBudgetMaxTokens);
        Check(o.RetryBudgetTokenRatio is > 0 and <= 1, $"retryBudgetTokenRatio must be in (0, 1] (got {o.RetryBudgetTokenRatio.ToString(CultureInfo.InvariantCulture)})");
        Duration("healthCheckInterval", o.HealthCheckInterval);
        Duration("healthCheckTimeout", o.HealthCheckTimeout);
        Check(o.HealthCheckService is not null, "healthCheckService must not be null (use \"\" for the whole server)");
        Whole("outlierConsecutiveFailures", o.OutlierConsecutiveFailures);
        Duration("outlierEjectionTime", o.OutlierEjectionTime);
        Duration("reconnectInitialBackoff", o.ReconnectInitialBackoff);
        Duration("reconnectMaxBackoff", o.ReconnectMaxBackoff);
        Check(o.ReconnectMaxBackoff >= o.ReconnectInitialBackoff, $"reconnectMaxBackoff must be >= reconnectInitialBackoff (got {o.ReconnectMaxBackoff} < {o.ReconnectInitialBackoff})");
        Whole("resendMaxAttempts", o.ResendMaxAttempts);
        Duration("resendMaxWait", o.ResendMaxWait);
        Duration("recoveryInterval", o.RecoveryInterval);
        if (o.Defects is null)
        {
            errors.Add("defects must be a list (empty for none)");
        }
        else
        {
            foreach (var defect in o.Defects)
            {
                Check(defect is not null && Defects.WalletDefects.IsKnown(defect), $"defects (--defect): unknown defect '{defect}'; known: {string.Join(", ", Defects.WalletDefects.Names)}");
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

    /// <summary>A duration field's range as a person writes it, e.g. <c>10 ms..24 h</c>.</summary>
    public static string DurationRange(string field) => $"{Human(Durations[field].Min)}..{Human(Durations[field].Max)}";

    /// <summary>
    /// Why <paramref name="text"/>, which is not a URL .NET can read, is refused: a port past 65535 is named
    /// (<c>port 99999 is not 1..65535</c>); null for any other reason.
    /// </summary>
    public static string? UnreadableUrlPort(string? text) =>
        text is not null && UrlWithPort().Match(text) is { Success: true } m && (!int.TryParse(m.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > MaxPort)
            ? $"port {m.Groups["port"].Value} is not 1..{MaxPort}"
            : null;

    // Why an issuer or SMS gateway URL cannot be called, or null when it can.
    private static string? UrlProblem(Uri? uri) => uri switch
    {
        null => "is missing",
        { IsAbsoluteUri: false } => "is not an absolute URL",
        _ when uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps => "is not http or https",
        { Port: <= 0 } => $"has port {uri.Port}",
        _ => null,
    };

    private static string Named(string field, string? flag) => flag is null ? field : $"{field} ({flag})";

    private static string JsonName(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static string Human(TimeSpan t) => t switch
    {
        _ when t == TimeSpan.Zero => "0",
        _ when t.Ticks % TimeSpan.TicksPerDay == 0 && t.TotalDays >= 2 => $"{t.TotalDays:0} d",
        _ when t.Ticks % TimeSpan.TicksPerHour == 0 => $"{t.TotalHours:0} h",
        _ when t.Ticks % TimeSpan.TicksPerMinute == 0 => $"{t.TotalMinutes:0} min",
        _ when t.Ticks % TimeSpan.TicksPerSecond == 0 => $"{t.TotalSeconds:0} s",
        _ => $"{t.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms",
    };

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,32}$")]
    private static partial Regex InstanceNamePrefixPattern();

    // scheme://host:port (an IPv6 host in brackets), with anything after the port.
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:\[\]]*):(?<port>[0-9]+)(?:[/?#]|$)")]
    private static partial Regex UrlWithPort();
}

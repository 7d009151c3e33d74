using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using PaySim.Wallet.Accounts;
using PaySim.Wallet.Balancing;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Errors;
using PaySim.Wallet.Hosting;
using PaySim.Wallet.Observability;
using PaySim.Wallet.Resilience;
using PaySim.Wallet.Storage;
using PaySim.TestSupport;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.Configuration;

public sealed class WalletOptionsValidationTests
{
    [Fact]
    public void Validate_Defaults_AreValid() => Assert.Empty(WalletOptionsValidator.Validate(new WalletOptions()));

    [Fact]
    public void Validate_ListsEveryBadFieldAtOnce()
    {
        var errors = WalletOptionsValidator.Validate(new WalletOptions
        {
            Instances = 0,
            Port = -1,
            BindAddress = "localhost-ish",
            IssuerUris = [],
            DatabasePath = " ",
            BalancingPolicy = "random",
            PinMaxAttempts = 0,
            AttemptTimeout = TimeSpan.Zero,
            RetryBudgetTokenRatio = 2,
            RecoveryInterval = TimeSpan.Zero,
        });

        Assert.Equal(10, errors.Count);
        foreach (var field in new[] { "instances", "port", "bindAddress", "issuerUris", "databasePath", "balancingPolicy", "pinMaxAttempts", "attemptTimeout", "retryBudgetTokenRatio", "recoveryInterval" })
        {
            Assert.Contains(errors, e => e.StartsWith(field, StringComparison.Ordinal));
        }

        Assert.Contains(errors, e => e.Contains("round_robin, pick_first, least_requests, power_of_two_choices", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ftp://localhost:7101")]
    [InlineData("mailto:issuer@example.com")]
    public void Validate_IssuerUriWithoutHttpOrPort_IsNamed(string uri)
    {
        var errors = WalletOptionsValidator.Validate(new WalletOptions { IssuerUris = [new Uri(uri)] });

        Assert.Single(errors);
        Assert.Contains(uri.TrimEnd('/'), errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SmsCodeOptions_AreNamedWithTheirBounds()
    {
        var errors = WalletOptionsValidator.Validate(new WalletOptions
        {
            SmsGatewayUri = new Uri("ftp://localhost:7201"),
            PasswordResetCodeTtl = TimeSpan.FromSeconds(1),
            PasswordResetMaxAttempts = 0,
            DeviceCodeTtl = TimeSpan.FromDays(2),
            DeviceCodeMaxAttempts = 101,
        });

        Assert.Equal(5, errors.Count);
        foreach (var field in new[] { "smsGatewayUri", "passwordResetCodeTtl must be 10 s..24 h", "passwordResetMaxAttempts must be 1..100", "deviceCodeTtl must be 10 s..24 h", "deviceCodeMaxAttempts must be 1..100" })
        {
            Assert.Contains(errors, e => e.StartsWith(field, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_AFieldWithACommandLineFlag_NamesTheFlagToo()
    {
        var errors = WalletOptionsValidator.Validate(new WalletOptions
        {
            Instances = 0,
            Port = 70000,
            BindAddress = "nowhere",
            IssuerUris = [new Uri("ftp://localhost:7101")],
            SmsGatewayUri = new Uri("ftp://localhost:7201"),
            BalancingPolicy = "random",
            PasswordHashIterations = 1,
            PinHashIterations = 1,
            LoginRatePerMinute = -1,
            MaxRequestBodyBytes = 1,
            MaxConnections = 0,
            Defects = ["typo"],
        });

        Assert.Equal(
            [
                "instances (--instances) must be 1..64 (got 0)",
                "port (--port) must be 0 (ephemeral) or 1..65535 (got 70000)",
                "bindAddress (--bind) must be an IP address (got 'nowhere')",
                "issuerUris (--issuer) entries must be absolute http(s) URLs with a port 1..65535; 'ftp://localhost:7101/' is not http or https",
                "smsGatewayUri (--sms) must be an absolute http(s) URL like http://localhost:7201 with a port 1..65535; 'ftp://localhost:7201/' is not http or https",
                "balancingPolicy (--policy) must be one of round_robin, pick_first, least_requests, power_of_two_choices (got 'random')",
                "passwordHashIterations (--hash-iterations) must be 1000..10000000 (got 1)",
                "pinHashIterations (--hash-iterations) must be 1000..10000000 (got 1)",
                "loginRatePerMinute (--login-rate) must be 0 (off)..1000000 (got -1)",
                "maxRequestBodyBytes (--max-body-bytes) must be 1024..16777216 (got 1)",
                "maxConnections (--max-connections) must be 1..1000000 (got 0)",
                "defects (--defect): unknown defect 'typo'; known: " + string.Join(", ", PaySim.Wallet.Defects.WalletDefects.Names),
            ],
            errors);
    }

    [Fact]
    public void Validate_PortRangeMustFitEveryInstance_NamingTheLastInstancesPortAndTheLargestFirstPort()
    {
        Assert.Equal(
            ["port (--port) must be at most 65534 with instances (--instances) 2: the last instance would need port 65536 (got 65535)"],
            WalletOptionsValidator.Validate(new WalletOptions { Port = 65535, Instances = 2 }));
        Assert.Equal(
            ["port (--port) must be at most 65472 with instances (--instances) 64: the last instance would need port 65563 (got 65500)"],
            WalletOptionsValidator.Validate(new WalletOptions { Port = 65500, Instances = 64 }));
        Assert.Empty(WalletOptionsValidator.Validate(new WalletOptions { Port = 65534, Instances = 2 }));
        Assert.Empty(WalletOptionsValidator.Validate(new WalletOptions { Port = 65472, Instances = 64 }));
    }

    [Fact]
    public void Validate_AnIssuerOrSmsUrlWithPort0_SaysThePortIsTheProblem()
    {
        var errors = WalletOptionsValidator.Validate(new WalletOptions { IssuerUris = [new Uri("http://127.0.0.1:0")], SmsGatewayUri = new Uri("http://127.0.0.1:0") });

        Assert.Equal(
            [
                "issuerUris (--issuer) entries must be absolute http(s) URLs with a port 1..65535; 'http://127.0.0.1:0/' has port 0",
                "smsGatewayUri (--sms) must be an absolute http(s) URL like http://localhost:7201 with a port 1..65535; 'http://127.0.0.1:0/' has port 0",
            ],
            errors);
    }

    [Theory]
    [InlineData("http://127.0.0.1:99999", "port 99999 is not 1..65535")]
    [InlineData("http://[::1]:70000/x", "port 70000 is not 1..65535")]
    [InlineData("http://127.0.0.1:99999999999999999999", "port 99999999999999999999 is not 1..65535")]
    [InlineData("http://127.0.0.1:7101", null)]
    [InlineData("not a url", null)]
    public void UnreadableUrlPort_NamesAPortPast65535(string text, string? expected) =>
        Assert.Equal(expected, WalletOptionsValidator.UnreadableUrlPort(text));

    // The fuzzing pass's values (docs/wallet.md, Configuration): each one crashed a request (a date past the year 9999),
    // a health round (a timer .NET refuses) or the start (a timeout Polly refuses, exit 3 with a stack trace).
    [Theory]
    [InlineData(nameof(WalletOptions.SessionLifetime), "3650000.00:00:00", "sessionLifetime must be 1 s..365 d (got 3650000.00:00:00)")]
    [InlineData(nameof(WalletOptions.LoginLockout), "3650000.00:00:00", "loginLockout must be 1 s..30 d (got 3650000.00:00:00)")]
    [InlineData(nameof(WalletOptions.PinLockout), "3650000.00:00:00", "pinLockout must be 1 s..30 d (got 3650000.00:00:00)")]
    [InlineData(nameof(WalletOptions.HealthCheckTimeout), "10000000.00:00:00", "healthCheckTimeout must be 10 ms..1 h (got 10000000.00:00:00)")]
    [InlineData(nameof(WalletOptions.HealthCheckInterval), "100.00:00:00", "healthCheckInterval must be 10 ms..1 h (got 100.00:00:00)")]
    [InlineData(nameof(WalletOptions.ResendMaxWait), "100.00:00:00", "resendMaxWait must be 0..1 min (got 100.00:00:00)")]
    [InlineData(nameof(WalletOptions.OutlierEjectionTime), "10675199.00:00:00", "outlierEjectionTime must be 10 ms..1 h (got 10675199.00:00:00)")]
    [InlineData(nameof(WalletOptions.ReconnectInitialBackoff), "00:00:00.0000001", "reconnectInitialBackoff must be 10 ms..1 h (got 00:00:00.0000001)")]
    [InlineData(nameof(WalletOptions.AttemptTimeout), "00:00:00.001", "attemptTimeout must be 10 ms..24 h (got 00:00:00.0010000)")]
    public void Validate_ADurationPastItsRange_IsOneLineNamingTheRange(string property, string value, string expected)
    {
        var options = new WalletOptions();
        typeof(WalletOptions).GetProperty(property)!.SetValue(options, TimeSpan.Parse(value, CultureInfo.InvariantCulture));

        Assert.Equal([expected], WalletOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_TimeoutsAndRetryDelaysPollyRefuses_AreRefusedFirst()
    {
        Assert.Equal(
            ["callTimeout must be 10 ms..24 h (got 10000000.00:00:00)"],
            WalletOptionsValidator.Validate(new WalletOptions { CallTimeout = TimeSpan.FromDays(10_000_000) }));
        Assert.Equal(
            ["retryBaseDelay must be 1 ms..24 h (got 2.00:00:00)", "retryMaxDelay must be 1 ms..24 h (got 2.00:00:00)"],
            WalletOptionsValidator.Validate(new WalletOptions { RetryBaseDelay = TimeSpan.FromDays(2), RetryMaxDelay = TimeSpan.FromDays(2) }));
    }

    [Fact]
    public void EveryNumberAndDurationField_HasARange()
    {
        var fields = typeof(WalletOptions).GetProperties()
            .Where(p => p.PropertyType == typeof(int) || p.PropertyType == typeof(TimeSpan))
            .Select(p => JsonName(p.Name))
            .Order(StringComparer.Ordinal);

        Assert.Equal(fields, WalletOptionsValidator.WholeNumbers.Keys.Concat(WalletOptionsValidator.Durations.Keys).Order(StringComparer.Ordinal));
    }

    // docs/wallet.md's Configuration table states each range the validator checks ("allowed"), so the two cannot drift.
    [Fact]
    public void TheDocsConfigurationTable_StatesEveryRange()
    {
        var rows = File.ReadAllLines(Path.Combine(FolderCycleFinder.RepositoryRoot(), "docs", "wallet.md"))
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Where(c => c.Length == 6)
            .ToDictionary(c => JsonName(c[1].Trim('`')), c => c[3], StringComparer.Ordinal);

        foreach (var (field, (min, max)) in WalletOptionsValidator.WholeNumbers.Where(f => f.Key != "seed"))
        {
            Assert.True(rows.TryGetValue(field, out var allowed) && allowed.StartsWith($"{(field == "port" ? "0 or 1" : min)}..{max}", StringComparison.Ordinal), $"{field}: docs say '{allowed}', the validator {min}..{max}");
        }

        foreach (var field in WalletOptionsValidator.Durations.Keys)
        {
            Assert.True(rows.TryGetValue(field, out var allowed) && allowed.StartsWith(WalletOptionsValidator.DurationRange(field), StringComparison.Ordinal), $"{field}: docs say '{allowed}', the validator {WalletOptionsValidator.DurationRange(field)}");
        }
    }

    public static TheoryData<string> RangedFields() =>
        [.. WalletOptionsValidator.WholeNumbers.Keys.Where(k => k != "seed"), .. WalletOptionsValidator.Durations.Keys];

    // Each end passes and one step past it fails with the field's name (one tick for a duration, 1 for a number);
    // a field another one bounds (callTimeout >= attemptTimeout, …) is tried with that one at its own end.
    [Theory]
    [MemberData(nameof(RangedFields))]
    public void EveryRange_ItsEndsPass_AndOnePastFailsNamingTheField(string field)
    {
        var property = typeof(WalletOptions).GetProperty(char.ToUpperInvariant(field[0]) + field[1..])!;
        WalletOptions With(object value, bool low)
        {
            var options = new WalletOptions { Instances = 1, Port = field == "port" ? 0 : WalletDefaults.Port };
            // The fields that must be >= this one follow it down; those it must be >= follow it up.
            if (low)
            {
                options.AttemptTimeout = options.ReconnectInitialBackoff = TimeSpan.FromMilliseconds(10);
                options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            }
            else
            {
                options.CallTimeout = options.RetryMaxDelay = TimeSpan.FromHours(24);
                options.ReconnectMaxBackoff = TimeSpan.FromHours(1);
            }

            property.SetValue(options, value);
            return options;
        }

        object min, max, belowMin, aboveMax;
        if (property.PropertyType == typeof(int))
        {
            var (lo, hi) = WalletOptionsValidator.WholeNumbers[field];
            (min, max, belowMin, aboveMax) = (lo, hi, lo - 1, hi + 1);
        }
        else
        {
            var (lo, hi) = WalletOptionsValidator.Durations[field];
            (min, max, belowMin, aboveMax) = (lo, hi, lo - TimeSpan.FromTicks(1), hi + TimeSpan.FromTicks(1));
        }

        Assert.Empty(WalletOptionsValidator.Validate(With(min, low: true)));
        Assert.Empty(WalletOptionsValidator.Validate(With(max, low: false)));
        Assert.Contains(WalletOptionsValidator.Validate(With(belowMin, low: true)), e => e.StartsWith(field + " ", StringComparison.Ordinal));
        Assert.Contains(WalletOptionsValidator.Validate(With(aboveMax, low: false)), e => e.StartsWith(field + " ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("wallet\nx")]
    [InlineData("wallet-ü")]
    [InlineData("")]
    [InlineData("a-prefix-longer-than-thirty-two-c")]
    public void Validate_AnInstanceNamePrefixThatCannotGoInAHeader_IsRefused(string prefix)
    {
        var error = Assert.Single(WalletOptionsValidator.Validate(new WalletOptions { InstanceNamePrefix = prefix }));

        Assert.StartsWith("instanceNamePrefix must be 1 to 32 letters, digits, '.', '_' or '-'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AnUndefinedLogLevelOrTooManyIssuerNodes_IsRefused()
    {
        var errors = WalletOptionsValidator.Validate(new WalletOptions
        {
            MinimumLogLevel = (Microsoft.Extensions.Logging.LogLevel)42,
            IssuerUris = [.. Enumerable.Range(1, 65).Select(i => new Uri($"http://127.0.0.1:{7100 + i}"))],
        });

        Assert.Equal(
            [
                "issuerUris (--issuer) must name at most 64 issuer nodes (got 65)",
                "minimumLogLevel must be one of trace, debug, information, warning, error, critical, none (got '42')",
            ],
            errors);
    }

    // The largest values a start accepts work where the fuzzed ones crashed: a session, a login lockout and a PIN
    // lockout at their ends (dates past 9999 gave 500s), Polly's pipeline and the health monitor's timers.
    [Fact]
    public async Task TheLargestAcceptedValues_DoNotFailARequestOrATimer()
    {
        using var db = new TempDatabase();
        var database = new WalletDatabase(db.Path);
        await database.InitializeAsync(CancellationToken.None);
        var options = Hosts.Options(db.Path, WalletMode.Resilient);
        foreach (var (field, (_, max)) in WalletOptionsValidator.Durations)
        {
            typeof(WalletOptions).GetProperty(char.ToUpperInvariant(field[0]) + field[1..])!.SetValue(options, max);
        }

        Assert.Empty(WalletOptionsValidator.Validate(options));
        var accounts = new AccountService(new UserStore(database), new SessionStore(database), new LoginAttemptStore(database), options);
        var (user, _, expiresAt) = await accounts.RegisterAsync("13900005555", "s3cretpass", "240613", null, CancellationToken.None);
        Assert.True(expiresAt > DateTimeOffset.UtcNow.AddDays(364));
        for (var i = 0; i < options.LoginMaxAttempts; i++)
        {
            await Assert.ThrowsAsync<WalletException>(() => accounts.LoginAsync("13900005555", "wrongpass1", "client", CancellationToken.None));
        }

        for (var i = 0; i < options.PinMaxAttempts; i++)
        {
            await Assert.ThrowsAsync<WalletException>(() => accounts.VerifyPinAsync(user.Id, "999999", CancellationToken.None));
        }

        await using var integration = new ResilientIssuerIntegration(options, new WalletMetrics(), NullLoggerFactory.Instance);
        var monitor = new NodeHealthMonitor(options.IssuerUris, options, NullLoggerFactory.Instance);
        await monitor.ProbeAllAsync(CancellationToken.None);
        await monitor.DisposeAsync();
    }

    [Fact]
    public async Task StartAsync_BadOptions_ThrowsOneLineNamingTheFields()
    {
        var e = await Assert.ThrowsAsync<WalletOptionsException>(() => WalletHost.StartAsync(new WalletOptions { Instances = 0, BalancingPolicy = "x" }));

        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("instances", e.Message, StringComparison.Ordinal);
        Assert.Contains("balancingPolicy", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, e.Errors.Count);
    }

    private static string JsonName(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}

using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;

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
                "port (--port) must be 0 (ephemeral) or 1..65535 for every instance (got 70000)",
                "bindAddress (--bind) must be an IP address (got 'nowhere')",
                "issuerUris (--issuer) entries must be absolute http(s) URLs (got 'ftp://localhost:7101/')",
                "smsGatewayUri (--sms) must be an absolute http(s) URL like http://localhost:7201 (got 'ftp://localhost:7201/')",
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
    public void Validate_PortRangeMustFitEveryInstance()
    {
        Assert.Single(WalletOptionsValidator.Validate(new WalletOptions { Port = 65535, Instances = 2 }));
        Assert.Empty(WalletOptionsValidator.Validate(new WalletOptions { Port = 65534, Instances = 2 }));
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
}

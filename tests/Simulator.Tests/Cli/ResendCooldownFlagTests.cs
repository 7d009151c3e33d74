using System.Text.Json;
using System.Text.RegularExpressions;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Cli;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Cli;

/// <summary>
/// Issue 15, bug 5: the OTP resend cooldown is a flag (<c>--resend-cooldown</c>, the project's duration grammar) and a
/// setting anyone can read (<c>GET /v1/settings</c>), and it is what the issuer applies to ResendOtp.
/// </summary>
public sealed class ResendCooldownFlagTests
{
    [Theory]
    [InlineData("5x", "error: --resend-cooldown '5x' is not a number with a unit ms, s, m or h, e.g. \"250ms\", \"30s\", \"1.5s\", \"2m\", \"1h\", or several units largest first, each once, e.g. \"1h30m\", \"1m30s\" (see --help)")]
    [InlineData("30s30s", "error: --resend-cooldown '30s30s' is not a number with a unit ms, s, m or h, e.g. \"250ms\", \"30s\", \"1.5s\", \"2m\", \"1h\", or several units largest first, each once, e.g. \"1h30m\", \"1m30s\" (see --help)")]
    [InlineData(" 9s", "error: --resend-cooldown ' 9s' is not a number with a unit ms, s, m or h, e.g. \"250ms\", \"30s\", \"1.5s\", \"2m\", \"1h\", or several units largest first, each once, e.g. \"1h30m\", \"1m30s\" (see --help)")]
    [InlineData("9s ", "error: --resend-cooldown '9s ' is not a number with a unit ms, s, m or h, e.g. \"250ms\", \"30s\", \"1.5s\", \"2m\", \"1h\", or several units largest first, each once, e.g. \"1h30m\", \"1m30s\" (see --help)")]
    [InlineData("-1s", "error: --resend-cooldown '-1s' must not be negative (see --help)")]
    [InlineData("61m", "error: --resend-cooldown '61m' is more than 1h (see --help)")]
    public async Task ABadCooldown_ExitsTwoWithOneLineNamingTheFlag(string value, string line)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await CliApp.RunAsync(["serve", "--issuer-port", "0", "--sms-port", "0", "--control-port", "0", $"--resend-cooldown={value}"], stdout, stderr, new MemoryStream(), cts.Token);

        Assert.Equal(2, code);
        Assert.Equal(line, stderr.ToString().TrimEnd('\r', '\n'));
        Assert.Equal(string.Empty, stdout.ToString());
    }

    [Fact]
    public async Task Serve_WithTheFlag_PrintsItAndServesItOnGetSettings()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = new StringWriter();
        var synced = TextWriter.Synchronized(stdout);
        var serve = CliApp.RunAsync(
            ["serve", "--nodes", "1", "--issuer-port", "0", "--sms-port", "0", "--control-port", "0", "--cardholders", "10", "--resend-cooldown", "1500ms"],
            synced, TextWriter.Synchronized(new StringWriter()), new MemoryStream(), cts.Token);
        try
        {
            string printed;
            while (!(printed = Read(synced, stdout)).Contains("Press Ctrl+C", StringComparison.Ordinal))
            {
                Assert.False(serve.IsCompleted, printed);
                await Task.Delay(50, cts.Token);
            }

            Assert.Contains("\n  otp: valid 5m, 3 attempts, resend cooldown 1500ms (--resend-cooldown; GET /v1/settings)\n", printed.Replace("\r\n", "\n"), StringComparison.Ordinal);
            var control = Regex.Match(printed, @"control\s+(http://\S+)\s+HTTP/1\.1 JSON").Groups[1].Value;
            using var http = new HttpClient();
            using var settings = JsonDocument.Parse(await http.GetStringAsync(control + "/v1/settings", cts.Token));
            Assert.Equal(1500, settings.RootElement.GetProperty("resendCooldownMs").GetInt64());
            Assert.Equal("1500ms", settings.RootElement.GetProperty("resendCooldown").GetString());
            using var root = JsonDocument.Parse(await http.GetStringAsync(control + "/", cts.Token));
            Assert.Equal(control + "/v1/settings", root.RootElement.GetProperty("settings").GetString());
        }
        finally
        {
            await cts.CancelAsync();
            Assert.Equal(0, await serve);
        }
    }

    [Fact]
    public async Task TheSetting_IsTheCooldownTheIssuerApplies_AndDefaultsToOneMinute()
    {
        var options = TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20);
        options.ResendCooldown = TimeSpan.FromSeconds(2);
        await using var sim = await TestSimulator.StartAsync(options);
        await using var byDefault = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20));
        var card = sim.Host.ListCardholders(1, "healthy").Single();

        var start = await sim.Issuers[0].StartBindingAsync(new StartBindingRequest
        {
            Pan = card.Pan, Expiry = card.Expiry, Cvv = card.Cvv, HolderName = card.InputHolderName, IdNumber = card.InputIdNumber, Phone = card.InputPhone,
        });
        var early = await sim.Issuers[0].ResendOtpAsync(new ResendOtpRequest { BindingId = start.BindingId });

        using var settings = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/settings"));
        using var defaults = JsonDocument.Parse(await byDefault.Http.GetStringAsync("/v1/settings"));
        Assert.Equal(2000, settings.RootElement.GetProperty("resendCooldownMs").GetInt64());
        Assert.Equal("2s", settings.RootElement.GetProperty("resendCooldown").GetString());
        Assert.Equal(("05", DeclineReason.ResendTooSoon), (early.ResponseCode, early.DeclineReason));
        Assert.InRange(early.RetryAfterMs, 1, 2000);
        Assert.Equal(60_000, defaults.RootElement.GetProperty("resendCooldownMs").GetInt64());
        Assert.Equal("1m", defaults.RootElement.GetProperty("resendCooldown").GetString());
        Assert.Equal(300_000, defaults.RootElement.GetProperty("otpTtlMs").GetInt64());
        Assert.Equal(3, defaults.RootElement.GetProperty("otpAttempts").GetInt32());
    }

    private static string Read(TextWriter synced, StringWriter inner)
    {
        lock (synced)
        {
            return inner.ToString();
        }
    }
}

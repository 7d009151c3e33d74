using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Tests.Cli;
using PaySim.LoadTests.Tests.Support;

namespace PaySim.LoadTests.Tests.Plans;

/// <summary>Load stays on this machine unless <c>--allow-remote</c> says otherwise: every external target URL is loopback.</summary>
public sealed class LocalTargetTests
{
    private const string Scenarios = """{"scenarios":[{"name":"payment","weight":1}],"rate":2""";

    [Theory]
    [InlineData("""["http://10.0.0.1:7300"]""", "http://localhost:7000", null, "plan p.json: target.external.walletUrls[0]: 10.0.0.1 is not this machine")]
    [InlineData("""["http://127.0.0.1:7300","http://wallet.staging:7300"]""", "http://localhost:7000", null, "plan p.json: target.external.walletUrls[1]: wallet.staging is not this machine")]
    [InlineData("""["http://127.0.0.1:7300"]""", "http://sim.internal:7000", null, "plan p.json: target.external.simulatorUrl: sim.internal is not this machine")]
    [InlineData("""["http://127.0.0.1:7300"]""", "http://localhost:7000", "http://192.168.1.5:7201", "plan p.json: target.external.smsUrl: 192.168.1.5 is not this machine")]
    public void APlansRemoteTarget_IsRefused_NamingTheFieldAndTheFlag(string wallets, string simulator, string? sms, string expected)
    {
        var smsField = sms is null ? string.Empty : $",\"smsUrl\":\"{sms}\"";
        var json = Scenarios + ",\"target\":{\"external\":{\"walletUrls\":" + wallets + ",\"simulatorUrl\":\"" + simulator + "\"" + smsField + "}}}";

        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "p.json"));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("only with --allow-remote", ex.Message, StringComparison.Ordinal);

        var allowed = PlanCompiler.Compile(json, "p.json", new PlanOverrides { AllowRemote = true });
        Assert.True(allowed.Target.External!.AllowRemote);
    }

    [Theory]
    [InlineData("http://localhost:7300")]
    [InlineData("http://127.0.0.1:7300")]
    [InlineData("http://127.0.0.2:7300")]
    [InlineData("http://[::1]:7300")]
    [InlineData("https://LOCALHOST:7300")]
    [InlineData("http://0.0.0.0:7300")]
    [InlineData("http://[::]:7300")]
    public void LoopbackTargets_NeedNoFlag(string wallet)
    {
        var json = Scenarios + ",\"target\":{\"external\":{\"walletUrls\":[\"" + wallet + "\"],\"simulatorUrl\":\"http://127.0.0.1:7000\",\"smsUrl\":\"http://[::1]:7201\"}}}";

        var plan = PlanCompiler.Compile(json, "p.json");

        Assert.Equal(new Uri(wallet), Assert.Single(plan.Target.External!.WalletUrls));
        Assert.False(plan.Target.External.AllowRemote);
    }

    [Theory]
    [InlineData("--wallet-url", "http://10.255.255.1:7300", "--simulator-url", "http://127.0.0.1:7000")]
    [InlineData("--simulator-url", "http://sim.staging:7000", "--wallet-url", "http://127.0.0.1:7300")]
    public async Task Run_WithARemoteFlagTarget_ExitsTwo_BeforeSendingAnything_AndRunsWithAllowRemote(string flag, string remote, string other, string local)
    {
        var dir = Path.Combine(Path.GetTempPath(), "paysim-remote-" + Guid.NewGuid().ToString("N"));

        var (code, _, err) = await CliRunner.RunAsync("run", "--plan", "smoke", "--no-progress", flag, remote, other, local, "--report-dir", dir);

        Assert.Equal(ExitCodes.BadInput, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {flag}: {new Uri(remote).Host} is not this machine", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));

        var (allowed, output, allowedErr) = await CliRunner.RunAsync("run", "--plan", "smoke", flag, remote, other, local, "--allow-remote", "--dry-run");
        Assert.True(allowed == ExitCodes.AllClaimsHold, allowedErr);
        Assert.Contains(new Uri(remote).Host, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowRemote_OnTheEmbeddedTarget_IsRefused()
    {
        var (code, _, err) = await CliRunner.RunAsync("run", "--plan", "smoke", "--allow-remote", "--dry-run");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: --allow-remote: applies to an external target only", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWalletThatRedirects_IsRefusedBeforeTheLoad_NamingWhereItPointed_AndTheRedirectIsNotFollowed()
    {
        // The redirect's target stands in for another host: it must see no request at all.
        var hits = 0;
        await using var other = await FakeHttpServer.StartAsync(app => app.Run(_ =>
        {
            Interlocked.Increment(ref hits);
            return Task.CompletedTask;
        }));
        var otherUrl = FakeHttpServer.UrlOf(other);
        await using var redirecting = await FakeHttpServer.StartAsync(app =>
        {
            app.MapGet("/v1/stats", () => Results.Json(new { nodes = Array.Empty<object>() }));
            app.MapGet("/health", () => Results.Redirect(otherUrl + "/health", permanent: false, preserveMethod: true));
        });
        var url = FakeHttpServer.UrlOf(redirecting);

        var (code, _, err) = await CliRunner.RunAsync("run", "--plan", "smoke", "--no-progress", "--wallet-url", url, "--simulator-url", url, "--report-dir", Path.Combine(Path.GetTempPath(), "paysim-redirect-" + Guid.NewGuid().ToString("N")));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"GET /health answered 307 (a redirect to {otherUrl}/health; the harness follows none: give that URL itself)", err, StringComparison.Ordinal);
        Assert.Equal(0, hits);
    }

    [Fact]
    public async Task AnSmsGatewayTheSimulatorListsOnAnotherHost_IsRefusedBeforeTheLoad_UnlessAllowed()
    {
        // A wallet and a control plane on this machine; the control plane lists its SMS gateway on another host.
        await using var server = await FakeHttpServer.StartAsync(app =>
        {
            app.MapGet("/health", () => Results.Json(new { status = "ok" }));
            app.MapGet("/v1/stats", () => Results.Json(new { nodes = Array.Empty<object>() }));
            app.MapGet("/v1/settings", () => Results.Json(new { resendCooldownMs = 0 }));
            app.MapGet("/v1/nodes", () => Results.Json(new
            {
                nodes = new[]
                {
                    new { name = "issuer-1", kind = "issuer", address = "127.0.0.1:1", state = "up" },
                    new { name = "sms", kind = "sms", address = "sms.example:7201", state = "up" },
                },
            }));
        });
        var url = FakeHttpServer.UrlOf(server);
        var dir = Path.Combine(Path.GetTempPath(), "paysim-remote-sms-" + Guid.NewGuid().ToString("N"));

        var (code, _, err) = await CliRunner.RunAsync("run", "--plan", "smoke", "--no-progress", "--wallet-url", url, "--simulator-url", url, "--report-dir", dir);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("error: the SMS gateway the simulator lists (GET /v1/nodes; --sms-url names another): sms.example is not this machine", err, StringComparison.Ordinal);
        Assert.Contains("only with --allow-remote", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }
}

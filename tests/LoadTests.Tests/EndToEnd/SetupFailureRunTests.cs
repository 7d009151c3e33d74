using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Tests.Support;
using PaySim.Simulator.Hosting;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// Issue 15, bug 4: a wallet that refuses every sign-up (here as one that reads no body would: "invalid_request
/// phone") ends the run before the load with the wallet's first failed reply printed in full and what to check,
/// not a one-word code that hides the cause.
/// </summary>
[Collection(EndToEndSecondLane.Name)]
public sealed class SetupFailureRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-lt-setup-").FullName;

    [Fact]
    public async Task Run_WalletRefusesEverySignUp_EndsWithoutAVerdictPrintingItsFirstReplyInFullAndWhatToCheck()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 5 });
        await using var wallet = await StartRefusingWalletAsync();
        var url = wallet.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] args =
        [
            "run", "--plan", "smoke", "--duration", "5s", "--no-progress", "--report-dir", Path.Combine(_dir, "report"),
            "--wallet-url", url, "--simulator-url", simulator.ControlUri.ToString(),
        ];

        var code = await LoadTestsCli.InvokeAsync(args, stdout, stderr);

        Assert.True(code == ExitCodes.NotCompleted, $"exit {code}\n{stdout}\n{stderr}");
        var lines = stderr.ToString().TrimEnd().Split('\n');
        Assert.Equal(7, lines.Length);
        // smoke prepares 10 users; every sign-up was refused.
        Assert.Equal("run failed, no verdict: could not bind any card before the run (10 attempts failed: register invalid_request ×10).", lines[0]);
        Assert.Equal("The wallet's first failed reply (register):", lines[1]);
        Assert.Equal($"  request: POST {url}users (Content-Type: application/json; charset=utf-8; Content-Length: 63)", lines[2]);
        Assert.Matches(new Regex("""^    sent: \{"phone":"13[0-9]{9}","password":"Load-test-9","pin":"258147"\}$"""), lines[3]);
        Assert.Equal("  reply: 400 Bad Request (Content-Type: application/json; charset=utf-8; Content-Length: 54; X-Served-By: refusing-wallet)", lines[4]);
        Assert.Equal("""    body: {"error":{"code":"invalid_request","message":"phone"}}""", lines[5]);
        Assert.Equal(
            "Check: the wallet refused the request itself: check that it reads the JSON body (the harness sends Content-Type: application/json; charset=utf-8 with a Content-Length, never chunked; docs/your-wallet.md, \"Request framing\") and that its field names are the contract's (camelCase; docs/your-wallet.md, \"The REST contract\").",
            lines[6]);
    }

    [Fact]
    public async Task Run_HarnessFaultsMidRun_EndsWithoutAVerdict_NotAsAFailedClaim()
    {
        // A fault in the harness (here the host's wallet client throws) is exit 3, which CI can tell from a red verdict.
        var (code, stdout, stderr) = await RunWithFailingClientAsync(new InvalidOperationException("client bug"));

        Assert.True(code == ExitCodes.NotCompleted, $"exit {code}\n{stdout}\n{stderr}");
        // One line that says what failed, then, as it is the harness's own fault, the details a report needs (CommandGuard).
        var lines = stderr.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Equal("internal error: InvalidOperationException: client bug (please report it with the lines below)", lines[0]);
        Assert.Equal("System.InvalidOperationException: client bug", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("at PaySim.LoadTests.", StringComparison.Ordinal));
        Assert.DoesNotContain("verdict: pass", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WhoseNetworkFails_EndsWithoutAVerdict_InOneLine()
    {
        // A network that failed is the environment's, not the harness's: the one line says it all, no stack trace.
        var (code, stdout, stderr) = await RunWithFailingClientAsync(new HttpRequestException("Connection refused (127.0.0.1:9)"));

        Assert.True(code == ExitCodes.NotCompleted, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Equal("run failed, no verdict: HttpRequestException: Connection refused (127.0.0.1:9)", stderr.TrimEnd());
        Assert.DoesNotContain("verdict: pass", stdout, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Stdout, string Stderr)> RunWithFailingClientAsync(Exception failure)
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 5 });
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string[] args =
        [
            "run", "--plan", "smoke", "--duration", "5s", "--no-progress", "--report-dir", Path.Combine(_dir, "fault"),
            "--wallet-url", "http://127.0.0.1:9/", "--simulator-url", simulator.ControlUri.ToString(),
        ];
        var options = new LoadTestsCliOptions { WalletClientFactory = (_, _) => throw failure };

        var code = await LoadTestsCli.InvokeAsync(args, options, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Healthy, and answers every other call 400 invalid_request "phone", framed with a Content-Length.</summary>
    private static async Task<WebApplication> StartRefusingWalletAsync()
    {
        var app = await FakeHttpServer.StartAsync(server =>
        {
            server.Run(async ctx =>
            {
                ctx.Response.Headers["X-Served-By"] = "refusing-wallet";
                if (ctx.Request.Path == "/health")
                {
                    return;
                }

                var body = Encoding.UTF8.GetBytes("""{"error":{"code":"invalid_request","message":"phone"}}""");
                ctx.Response.StatusCode = 400;
                ctx.Response.ContentType = "application/json; charset=utf-8";
                ctx.Response.ContentLength = body.Length;
                await ctx.Response.Body.WriteAsync(body);
            });
        });
        return app;
    }
}

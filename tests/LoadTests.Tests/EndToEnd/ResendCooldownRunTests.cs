using System.Text.Json.Nodes;
using PaySim.LoadTests.Cli;
using PaySim.Simulator.Hosting;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// Issue 15, bug 5: against a simulator started with its defaults (a 60 s resend cooldown), sms-timeout's
/// <c>bind_resends &gt;= 1</c> failed for every wallet, the reference wallet too. The run now reads GET /v1/settings
/// first and refuses what cannot pass (exit 2, one line naming the setting and the flag); with --resend-cooldown
/// within the app's wait, the resend is accepted and the claim holds.
/// </summary>
[Collection(EndToEndSecondLane.Name)]
public sealed class ResendCooldownRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-lt-cooldown-").FullName;

    [Fact]
    public async Task Run_SmsTimeoutAgainstASimulatorWithItsDefaultCooldown_IsRefusedBeforeAnythingStarts()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Nodes = 1, IssuerPort = 0, SmsPort = 0, ControlPort = 0 });
        await using var wallet = await StartWalletAsync(simulator);
        var folder = Path.Combine(_dir, "report");

        var (code, stdout, stderr) = await RunAsync(["--plan", "sms-timeout", "--report-dir", folder], wallet, simulator);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal(
            "error: plan sms-timeout: claim \"bind_resends >= 1\" cannot pass against this simulator: its resendCooldown (GET /v1/settings) is 1m, "
            + "longer than the app waits for a resend (client.smsTimeout 5s × (1 + client.otpResends 1) = 10s), so no resend can be accepted; "
            + "start the simulator with --resend-cooldown 5s (at most 10s), as the embedded target does.",
            stderr.TrimEnd('\r', '\n'));
        Assert.False(Directory.Exists(folder));
        Assert.DoesNotContain("preparing", stdout, StringComparison.Ordinal);
        Assert.Equal(0, simulator.GetStats().Nodes.Sum(n => n.Requests));
    }

    [Fact]
    public async Task Run_WithACooldownTheAppWaitsOut_RunsWithANoteAndTheResendIsAccepted()
    {
        // The app waits 1 s for the SMS, then taps resend once: a 2 s cooldown is answered "too soon" first and the
        // resend goes through once it has passed, which the check must allow.
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Nodes = 1, IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 31, ResendCooldown = TimeSpan.FromSeconds(2) });
        await using var wallet = await StartWalletAsync(simulator);
        var plan = Path.Combine(_dir, "lost-otp.json");
        await File.WriteAllTextAsync(plan, """
            { "name": "lost-otp", "duration": "6s", "warmUp": "0s", "seed": 7, "settle": "1s",
              "personas": { "healthy": 1 }, "preboundCards": 1,
              "client": { "timeout": "5s", "smsTimeout": "1s", "otpResends": 1 },
              "scenarios": [ { "name": "onboarding", "load": [
                { "kind": "pause", "during": "1s" }, { "kind": "inject", "rate": 1, "interval": "1s", "during": "1s" } ] } ],
              "faults": [ { "name": "lost-otp", "node": "sms", "method": "Send", "times": 1, "smsDrop": {}, "start": "0s" } ],
              "claims": [ "bind_resends == 1", "bind_success_rate == 100%" ] }
            """);
        var folder = Path.Combine(_dir, "report");

        var (code, stdout, stderr) = await RunAsync(["--plan", plan, "--report-dir", folder], wallet, simulator);

        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Single(stdout.Split('\n'), l => l.StartsWith("simulator: resendCooldown 2s is longer than client.smsTimeout 1s: ", StringComparison.Ordinal));
        var summary = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "summary.json")))!;
        Assert.Equal(1, summary["bindings"]!["resends"]!.GetValue<long>());
        Assert.Equal(1, summary["bindings"]!["boundAfterResend"]!.GetValue<long>());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task<WalletHost> StartWalletAsync(SimulatorHost simulator) =>
        WalletHost.StartAsync(new WalletOptions
        {
            Instances = 1,
            Port = 0,
            IssuerUris = simulator.IssuerNodes.Select(n => n.Uri).ToArray(),
            DatabasePath = Path.Combine(_dir, $"wallet-{Guid.NewGuid():N}.db"),
            PasswordHashIterations = 1_000,
            PinHashIterations = 1_000,
        });

    private static async Task<(int Code, string Out, string Err)> RunAsync(string[] plan, WalletHost wallet, SimulatorHost simulator)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var code = await LoadTestsCli.InvokeAsync(
            ["run", .. plan, "--no-progress", "--wallet-url", wallet.Instances[0].Uri.ToString(), "--simulator-url", simulator.ControlUri.ToString()],
            stdout, stderr, timeout.Token);
        return (code, stdout.ToString(), stderr.ToString());
    }
}

using System.Text.Json.Nodes;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Tests.Cli;
using PaySim.Simulator.Hosting;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// A late SMS on the embedded cluster: one sign-up whose first OTP SMS is lost or late beyond the app's
/// wait. With a resend the user gets a fresh code and binds; without one the binding ends sms_timeout.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class OtpResendRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-lt-resend-").FullName;

    [Theory]
    [InlineData("\"smsDrop\": {}")]
    [InlineData("\"smsDelay\": \"4s\"")]
    public async Task Run_FirstSmsLostOrLate_BindsAfterOneResendAndCountsIt(string smsFault)
    {
        var summary = await RunAsync(otpResends: 1, smsFault, "\"bind_success_rate == 100%\", \"bind_resends == 1\", \"bind_bound_after_resend == 1\"");

        var bindings = summary["bindings"]!.AsObject();
        Assert.Equal(1, bindings["attempts"]!.GetValue<long>());
        Assert.Equal(1, bindings["bound"]!.GetValue<long>());
        Assert.Equal(1, bindings["resends"]!.GetValue<long>());
        Assert.Equal(1, bindings["boundAfterResend"]!.GetValue<long>());
        Assert.False(bindings["byCause"]!.AsObject().ContainsKey("sms_timeout"), bindings.ToJsonString());
        Assert.Equal(1, summary["walletCalls"]!["bind_resend"]!.GetValue<long>());
        Assert.Equal(1, summary["figures"]!["bind_resends"]!.GetValue<double>());
        var steps = Steps(summary);
        Assert.Equal(1, steps["bind_resend"]!["ok"]!.GetValue<long>());
        Assert.Equal(0, steps["bind_resend"]!["fail"]!.GetValue<long>());
        // The first wait timed out, the second one got the fresh code.
        Assert.Equal(1, steps["sms_wait"]!["ok"]!.GetValue<long>());
        Assert.Equal(1, steps["sms_wait"]!["fail"]!.GetValue<long>());
        // The fresh code was the one typed: the first confirmation binds.
        Assert.Equal(1, steps["bind_confirm"]!["ok"]!.GetValue<long>());
        Assert.Equal(1, summary["scenarios"]!.AsArray().Single()!["ok"]!.GetValue<long>());
    }

    [Fact]
    public async Task Run_FirstSmsLostWithResendsOff_EndsSmsTimeoutWithoutAskingTheWallet()
    {
        var summary = await RunAsync(otpResends: 0, "\"smsDrop\": {}", "\"bind_failures[sms_timeout] == 1\", \"bind_resends == 0\"");

        var bindings = summary["bindings"]!.AsObject();
        Assert.Equal(1, bindings["attempts"]!.GetValue<long>());
        Assert.Equal(0, bindings["bound"]!.GetValue<long>());
        Assert.Equal(0, bindings["resends"]!.GetValue<long>());
        Assert.Equal(0, bindings["boundAfterResend"]!.GetValue<long>());
        Assert.Equal(1, bindings["byCause"]!["sms_timeout"]!.GetValue<long>());
        Assert.False(summary["walletCalls"]!.AsObject().ContainsKey("bind_resend"));
        Assert.False(Steps(summary).ContainsKey("bind_resend"));
    }

    [Fact]
    public async Task Run_LateVoidCodeArrivesBeforeTheResentOne_TypesItThenBindsWithTheFreshCode()
    {
        // Every SMS 4 s late, the first 4 s more; the app waits 6 s. The first wait ends at 6 s and the resend goes
        // out; the void code lands at 8 s and the fresh one at 10 s, inside the second wait (until 12 s). Each of
        // those three orderings has 2 s to spare, so a busy machine cannot swap them.
        const string faults = """
            { "name": "slow-route", "node": "sms", "method": "Send", "smsDelay": "4s" },
            { "name": "first-later", "node": "sms", "method": "Send", "times": 1, "smsDelay": "4s" }
            """;

        var summary = await RunAsync(1, "6s", faults, "\"bind_resends == 1\", \"bind_bound_after_resend == 1\"", "7s", clientTimeout: "15s");

        var bindings = summary["bindings"]!.AsObject();
        Assert.Equal(1, bindings["bound"]!.GetValue<long>());
        Assert.Equal(1, bindings["boundAfterResend"]!.GetValue<long>());
        var confirm = Steps(summary)["bind_confirm"]!;
        // Two confirmations: the void code (402 otp_wrong, an answer as designed) and the fresh one.
        Assert.Equal(2, confirm["ok"]!.GetValue<long>());
        Assert.Equal(2, summary["walletCalls"]!["bind_confirm"]!.GetValue<long>());
    }

    [Fact]
    public async Task Run_AgainstANaiveWalletThatSaysResendTooSoon_WaitsTheRetryAfterAndAsksAgain()
    {
        // The issuer's cooldown (5 s) outlasts the app's wait (3 s) by 2 s; the naive wallet passes RESEND_TOO_SOON
        // through as 429 with retryAfterMs (about 2 s, within the app's wait), which the app honours before asking again.
        // The second resend lands on the cooldown's end by design: the retry-after is the exact rest of it (rounded up to
        // the millisecond), and the app's wait ends by its own clock, not when the inbox's long poll answers
        // (OtpReaderTests); the margin is the reply's and the resend's way through the wallet.
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Nodes = 1, IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 11, ResendCooldown = TimeSpan.FromSeconds(5),
        });
        var db = Path.Combine(_dir, "wallet.db");
        await using var wallet = await WalletHost.StartAsync(new WalletOptions
        {
            Instances = 1,
            Port = 0,
            Mode = WalletMode.Naive,
            IssuerUris = simulator.IssuerNodes.Select(n => n.Uri).ToArray(),
            DatabasePath = db,
            PasswordHashIterations = 1_000,
            PinHashIterations = 1_000,
        });

        var summary = await RunAsync(
            1, "3s", """{ "name": "first-otp", "node": "sms", "method": "Send", "times": 1, "smsDrop": {} }""",
            "\"bind_resends == 1\", \"bind_bound_after_resend == 1\"", "5s", "10s",
            "--wallet-url", wallet.Instances[0].Uri.ToString(), "--simulator-url", simulator.ControlUri.ToString());

        Assert.Equal(2, summary["walletCalls"]!["bind_resend"]!.GetValue<long>());
        var resend = Steps(summary)["bind_resend"]!;
        Assert.Equal(2, resend["ok"]!.GetValue<long>());
        Assert.Equal(1, resend["statusCodes"]!["resend_too_soon"]!.GetValue<long>());
        Assert.Equal(1, resend["statusCodes"]!["202"]!.GetValue<long>());
        Assert.Equal(1, summary["bindings"]!["bound"]!.GetValue<long>());
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

    /// <summary>One onboarding iteration 1 s into the run, after the SMS fault (times: 1) is in place.</summary>
    private Task<JsonObject> RunAsync(int otpResends, string smsFault, string claims) =>
        RunAsync(otpResends, "1s", $$"""{ "name": "first-otp", "node": "sms", "method": "Send", "times": 1, {{smsFault}} }""", claims, "5s");

    /// <param name="clientTimeout">Also sets how long an iteration may finish after the load ends (timeout + 1 s).</param>
    private async Task<JsonObject> RunAsync(int otpResends, string smsTimeout, string faults, string claims, string duration, string clientTimeout = "5s", params string[] extraArgs)
    {
        var plan = Path.Combine(_dir, $"resend-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(plan, $$"""
            { "name": "otp-resend", "duration": "{{duration}}", "warmUp": "0s", "seed": 7,
              "target": { "embedded": { "nodes": 1, "walletInstances": 1, "walletMode": "resilient" } },
              "personas": { "healthy": 1 }, "preboundCards": 1,
              "client": { "timeout": "{{clientTimeout}}", "smsTimeout": "{{smsTimeout}}", "otpResends": {{otpResends}} },
              "scenarios": [ { "name": "onboarding", "load": [
                { "kind": "pause", "during": "1s" }, { "kind": "inject", "rate": 1, "interval": "1s", "during": "1s" } ] } ],
              "faults": [ {{faults}} ],
              "claims": [ {{claims}} ] }
            """);
        var folder = Path.Combine(_dir, "report-" + Guid.NewGuid().ToString("N"));

        var (code, output, err) = await CliRunner.RunAsync(["run", "--plan", plan, "--no-progress", "--report-dir", folder, .. extraArgs]);

        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}\n{output}\n{err}");
        return JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "summary.json")))!.AsObject();
    }

    private static Dictionary<string, JsonNode> Steps(JsonObject summary) =>
        summary["scenarios"]!.AsArray().Single()!["steps"]!.AsArray()
            .ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!);
}

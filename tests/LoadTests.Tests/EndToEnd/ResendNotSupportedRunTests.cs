using System.Text.Json.Nodes;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Tests.EndToEnd.BrokenWallet;
using PaySim.LoadTests.Wallets;
using PaySim.Simulator.Hosting;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// Issue 15, bug 3: a wallet that answers <c>501 resend_not_supported</c> over HTTP gave its answer, and it is judged
/// (a failed bind_resend step, counted in walletCalls.bind_resend); only an adapter without ResendOtpAsync (the
/// IWalletClient default) means "the client can't", which is neither a wallet call nor a wallet failure.
/// One sign-up whose only OTP SMS is lost; the app taps "resend" once.
/// </summary>
[Collection(EndToEndSecondLane.Name)]
public sealed class ResendNotSupportedRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-lt-no-resend-").FullName;

    [Fact]
    public async Task Run_WalletAnswersResendNotSupportedOverHttp_IsAFailedStepCountedAsAWalletCall()
    {
        await using var simulator = await StartSimulatorAsync();
        await using var wallet = await StartWalletAsync(simulator);
        var name = wallet.Instances[0].Name;
        await using var proxy = await TamperingProxy.StartAsync(
            wallet.Instances[0].Uri,
            answer: r => r.Method == "POST" && r.Path.Value!.EndsWith("/resend", StringComparison.Ordinal)
                ? TamperingProxy.Error(501, WalletReply<OtpResent>.ResendNotSupported, name)
                : null);

        var (summary, code, output) = await RunAsync(null, proxy.Uri, simulator.ControlUri);

        Assert.True(code == ExitCodes.AllClaimsHold, output);
        Assert.Equal(1, proxy.Tampered);
        Assert.Equal(1, summary["walletCalls"]!["bind_resend"]!.GetValue<long>());
        var resend = Steps(summary)["bind_resend"]!;
        Assert.Equal(0, resend["ok"]!.GetValue<long>());
        Assert.Equal(1, resend["fail"]!.GetValue<long>());
        Assert.Equal(1, resend["statusCodes"]![WalletReply<OtpResent>.ResendNotSupported]!.GetValue<long>());
        // The tap is spent like any failed resend: the app waits once more for the late SMS, which never comes.
        Assert.Equal(2, Steps(summary)["sms_wait"]!["fail"]!.GetValue<long>());
        var bindings = summary["bindings"]!.AsObject();
        Assert.Equal(1, bindings["attempts"]!.GetValue<long>());
        Assert.Equal(0, bindings["resends"]!.GetValue<long>());
        Assert.Equal(1, bindings["byCause"]!["sms_timeout"]!.GetValue<long>());
        Assert.Equal(1, summary["scenarios"]!.AsArray().Single()!["fail"]!.GetValue<long>());
    }

    [Fact]
    public async Task Run_AdapterWithoutResend_StopsAskingWithoutCountingAWalletCallOrAFailedStep()
    {
        await using var simulator = await StartSimulatorAsync();
        await using var wallet = await StartWalletAsync(simulator);

        var (summary, code, output) = await RunAsync((urls, timeout) => new NoResendClient(new HttpWalletClient(urls, timeout)), wallet.Instances[0].Uri, simulator.ControlUri);

        Assert.True(code == ExitCodes.AllClaimsHold, output);
        Assert.False(summary["walletCalls"]!.AsObject().ContainsKey("bind_resend"), summary["walletCalls"]!.ToJsonString());
        var resend = Steps(summary)["bind_resend"]!;
        Assert.Equal(1, resend["ok"]!.GetValue<long>());
        Assert.Equal(0, resend["fail"]!.GetValue<long>());
        Assert.Equal(1, resend["statusCodes"]![WalletReply<OtpResent>.ResendNotSupported]!.GetValue<long>());
        Assert.Equal(1, Steps(summary)["sms_wait"]!["fail"]!.GetValue<long>());
        Assert.Equal(1, summary["bindings"]!["byCause"]!["sms_timeout"]!.GetValue<long>());
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

    private static Task<SimulatorHost> StartSimulatorAsync() =>
        SimulatorHost.StartAsync(new SimulatorOptions { Nodes = 1, IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 31, ResendCooldown = TimeSpan.FromSeconds(1) });

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

    /// <summary>One onboarding iteration 1 s into the run; the only OTP SMS is dropped; one resend tap.</summary>
    private async Task<(JsonObject Summary, int Code, string Output)> RunAsync(WalletClientFactory? factory, Uri walletUrl, Uri simulatorUrl)
    {
        var plan = Path.Combine(_dir, $"no-resend-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(plan, """
            { "name": "no-resend", "duration": "5s", "warmUp": "0s", "seed": 7, "settle": "1s",
              "personas": { "healthy": 1 }, "preboundCards": 1,
              "client": { "timeout": "5s", "smsTimeout": "1s", "otpResends": 1 },
              "scenarios": [ { "name": "onboarding", "load": [
                { "kind": "pause", "during": "1s" }, { "kind": "inject", "rate": 1, "interval": "1s", "during": "1s" } ] } ],
              "faults": [ { "name": "lost-otp", "node": "sms", "method": "Send", "times": 1, "smsDrop": {}, "start": "0s" } ],
              "claims": [ "bind_failures[sms_timeout] == 1", "bind_resends == 0" ] }
            """);
        var folder = Path.Combine(_dir, "report-" + Guid.NewGuid().ToString("N"));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var code = await LoadTestsCli.InvokeAsync(
            ["run", "--plan", plan, "--no-progress", "--report-dir", folder, "--wallet-url", walletUrl.ToString(), "--simulator-url", simulatorUrl.ToString()],
            new LoadTestsCliOptions { WalletClientFactory = factory }, stdout, stderr, timeout.Token);

        var output = $"exit {code}\n{stdout}\n{stderr}";
        var file = Path.Combine(folder, "summary.json");
        Assert.True(File.Exists(file), output);
        return (JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject(), code, output);
    }

    private static Dictionary<string, JsonNode> Steps(JsonObject summary) =>
        summary["scenarios"]!.AsArray().Single()!["steps"]!.AsArray().ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!);

    /// <summary>An adapter written before resends existed: no ResendOtpAsync, so IWalletClient's default answers.</summary>
    private sealed class NoResendClient(HttpWalletClient inner) : IWalletClient, IDisposable
    {
        public IReadOnlyDictionary<string, long> ServedBy => inner.ServedBy;

        public Task<WalletReply<WalletUser>> RegisterAsync(string phone, string password, string pin, CancellationToken ct) => inner.RegisterAsync(phone, password, pin, ct);

        public Task<WalletReply<BindingStarted>> StartBindingAsync(WalletUser user, CardInput card, CancellationToken ct) => inner.StartBindingAsync(user, card, ct);

        public Task<WalletReply<BoundCard>> ConfirmBindingAsync(WalletUser user, string bindingId, string otp, CancellationToken ct) => inner.ConfirmBindingAsync(user, bindingId, otp, ct);

        public Task<WalletReply<PaymentDone>> PayAsync(WalletUser user, PaymentRequest payment, string idempotencyKey, CancellationToken ct) => inner.PayAsync(user, payment, idempotencyKey, ct);

        public Task<WalletReply<RefundDone>> RefundAsync(WalletUser user, string paymentId, long amountMinor, string idempotencyKey, CancellationToken ct) => inner.RefundAsync(user, paymentId, amountMinor, idempotencyKey, ct);

        public Task<WalletReply<int>> GetTransactionsAsync(WalletUser user, CancellationToken ct) => inner.GetTransactionsAsync(user, ct);

        public Task<WalletReply<IReadOnlyList<WalletTransaction>>> GetHistoryAsync(WalletUser user, CancellationToken ct) => inner.GetHistoryAsync(user, ct);

        public Task<string?> CheckHealthAsync(CancellationToken ct) => inner.CheckHealthAsync(ct);

        public void Dispose() => inner.Dispose();
    }
}

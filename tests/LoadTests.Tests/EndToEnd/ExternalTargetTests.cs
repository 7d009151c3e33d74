using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Wallets;
using PaySim.Simulator.Hosting;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// docs/your-wallet.md in a test: a wallet and simulator started by someone else, reached by URL,
/// driven through a caller-supplied <see cref="IWalletClient"/>.
/// </summary>
[Collection(EndToEndSecondLane.Name)]
public sealed class ExternalTargetTests
{
    [Fact]
    public async Task Run_AgainstAnExternalWalletThroughACustomClient_JudgesItsClaimsAndCountsEveryCallThroughTheAdapter()
    {
        await using var target = await ExternalStack.StartAsync(walletInstances: 2);
        var calls = new ConcurrentDictionary<string, int>();
        var options = new LoadTestsCliOptions
        {
            WalletClientFactory = (urls, timeout) => new CountingClient(new HttpWalletClient(urls, timeout), calls),
        };

        var (code, stdout, stderr) = await target.RunAsync(options, "run", "--plan", "smoke", "--duration", "6s");

        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}\n{stdout}\n{stderr}");
        var summary = target.Summary();
        Assert.Equal("external", summary["target"]!["kind"]!.GetValue<string>());
        Assert.Equal(2, summary["walletInstances"]!.AsArray().Count);
        Assert.True(calls.GetValueOrDefault("pay") > 10, string.Join(", ", calls));
        Assert.True(calls.GetValueOrDefault("register") >= 10, string.Join(", ", calls));
        // The wallet's view for reconciliation came through the adapter too, one history per prepared user at least.
        Assert.True(calls.GetValueOrDefault("reconcile_history") >= 10, string.Join(", ", calls));
        Assert.Equal(0, summary["reconciliation"]!["excessCharges"]!.GetValue<long>());
        Assert.StartsWith("counting adapter over round robin over 2 URLs", summary["target"]!["walletBalancing"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WhoseWalletCrashHookFails_GivesNoVerdict_EvenThoughEveryClaimHeld()
    {
        // The audit's false pass: the hook that should kill wallet-2 fails, nothing dies, and the HA claims "hold".
        await using var target = await ExternalStack.StartAsync(walletInstances: 2);

        var (code, stdout, stderr) = await target.RunAsync(
            new LoadTestsCliOptions(),
            "run", "--plan", "instance-crash", "--duration", "8s", "--settle", "2s", "--wallet-hook", "crash=false", "--wallet-hook", "restart=false");

        Assert.True(code == ExitCodes.NotCompleted, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("run failed, no verdict: the plan did not run as written: \"wallet wallet-2 crash\" at ", stderr, StringComparison.Ordinal);
        Assert.Contains("no verdict (the plan did not run as written;", stdout, StringComparison.Ordinal);
        var summary = target.Summary();
        Assert.Equal("fail", summary["verdict"]!.GetValue<string>());
        Assert.StartsWith("the plan did not run as written: ", summary["abortReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(summary["aborted"]!.GetValue<bool>());
        var junit = System.Xml.Linq.XDocument.Load(Path.Combine(target.Folder, "junit.xml"));
        Assert.Equal("1", (string?)junit.Descendants("testsuite").Single().Attribute("errors"));
    }

    [Fact]
    public async Task Run_WhosePlanFaultIsNamedLikeARuleAlreadyOnTheSimulator_IsRefusedBeforeAnything_AndTheRuleStays()
    {
        await using var target = await ExternalStack.StartAsync(walletInstances: 1, """[{"name":"pre-existing","node":"issuer-*","method":"Authorize","latency":"1ms","probability":0}]""");
        var plan = target.File("clash.json", """
            {"name": "clash", "duration": "3s", "rate": 2, "scenarios": [{"name": "payment", "weight": 1}],
             "faults": [{"name": "pre-existing", "node": "issuer-*", "method": "Authorize", "latency": "5ms"}],
             "claims": ["excess_charges == 0"]}
            """);

        var (code, stdout, stderr) = await target.RunAsync(new LoadTestsCliOptions(), "run", "--plan", plan);

        Assert.True(code == ExitCodes.BadInput, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("faults[0].name: \"pre-existing\" is already a fault rule on the simulator at", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target.Folder));
        Assert.Equal(0, target.Simulator.GetStats().Nodes.Sum(n => n.Requests));
        var rule = Assert.Single(JsonNode.Parse(target.Simulator.FaultRulesJson)!.AsArray())!;
        Assert.Equal(("pre-existing", 0d), (rule["name"]!.GetValue<string>(), rule["probability"]!.GetValue<double>()));
    }

    [Fact]
    public async Task Run_OnASimulatorWithLeftoverRules_AndAPlanWithoutClaims_WarnsOfBoth_OnScreenAndInTheSummary()
    {
        await using var target = await ExternalStack.StartAsync(walletInstances: 1, """[{"name":"left-behind","node":"issuer-*","method":"Authorize","latency":"1ms"}]""");
        var plan = target.File("bare.json", """{"name": "bare", "duration": "2s", "warmUp": "0s", "rate": 2, "scenarios": [{"name": "history"}], "claims": []}""");

        var (code, stdout, stderr) = await target.RunAsync(new LoadTestsCliOptions(), "run", "--plan", plan);

        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}\n{stdout}\n{stderr}");
        var leftover = $"the simulator at {target.Simulator.ControlUri} has 1 fault rule(s) already in force (left-behind) before the run: they act on its calls and are not in its fault timeline";
        const string noClaims = "the plan has no claims: its verdict checks nothing and passes whatever the run does";
        Assert.Contains("warning: " + leftover, stdout, StringComparison.Ordinal);
        Assert.Contains("warning: " + noClaims, stdout, StringComparison.Ordinal);
        var warnings = target.Summary()["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToArray();
        Assert.Contains(warnings, w => w.StartsWith(leftover, StringComparison.Ordinal));
        Assert.Contains(noClaims, warnings);
    }

    [Fact]
    public async Task Run_WithResetSimulator_RemovesLeftoverRulesAndBringsNodesUp_BeforeTheLoad_AndDoesNotWarn()
    {
        await using var target = await ExternalStack.StartAsync(walletInstances: 1, """[{"name":"left-behind","node":"issuer-*","method":"Authorize","latency":"1ms"}]""");
        using (var http = new HttpClient { BaseAddress = target.Simulator.ControlUri })
        {
            (await http.PostAsync("v1/nodes/issuer-2/down", null)).EnsureSuccessStatusCode();
        }

        var plan = target.File("bare.json", """{"name": "bare", "duration": "2s", "warmUp": "0s", "rate": 2, "scenarios": [{"name": "history"}], "claims": ["ok_count >= 1"]}""");

        var (code, stdout, stderr) = await target.RunAsync(new LoadTestsCliOptions(), "run", "--plan", plan, "--reset-simulator");

        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains($"reset: removed 1 fault rule(s) (left-behind) and brought 1 node(s) back up (issuer-2 was DOWN) on the simulator at {target.Simulator.ControlUri}", stdout, StringComparison.Ordinal);
        Assert.Empty(JsonNode.Parse(target.Simulator.FaultRulesJson)!.AsArray());
        Assert.All(target.Simulator.IssuerNodes, n => Assert.Equal("Up", target.Simulator.GetNodeState(n.Name).ToString()));
        Assert.DoesNotContain("already in force", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("node(s) not up", stdout, StringComparison.Ordinal);
        var warnings = target.Summary()["warnings"]?.AsArray().Select(w => w!.GetValue<string>()).ToArray() ?? [];
        Assert.DoesNotContain(warnings, w => w.Contains("already in force", StringComparison.Ordinal) || w.Contains("not up", StringComparison.Ordinal));
        Assert.Contains("--reset-simulator", target.Summary()["command"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>A simulator and a wallet started "by someone else" on port 0, the run's report folder, and its files, all removed at the end.</summary>
    private sealed class ExternalStack : IAsyncDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("paysim-lt-ext-").FullName;

        private ExternalStack(SimulatorHost simulator) => Simulator = simulator;

        public SimulatorHost Simulator { get; }

        public WalletHost? Wallet { get; private set; }

        public string Folder => Path.Combine(_dir, "report");

        /// <param name="faults">Fault rules already on the simulator before the wallet starts (an operator's, or a run's left behind).</param>
        public static async Task<ExternalStack> StartAsync(int walletInstances, string? faults = null)
        {
            var stack = new ExternalStack(await SimulatorHost.StartAsync(new SimulatorOptions { IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 5 }));
            if (faults is not null)
            {
                stack.Simulator.ApplyFaults(faults);
            }

            stack.Wallet = await WalletHost.StartAsync(new WalletOptions
            {
                Instances = walletInstances,
                Port = 0,
                IssuerUris = stack.Simulator.IssuerNodes.Select(n => n.Uri).ToArray(),
                DatabasePath = Path.Combine(stack._dir, "wallet.db"),
                PasswordHashIterations = 1_000,
                PinHashIterations = 1_000,
            });
            return stack;
        }

        public string File(string name, string text)
        {
            var path = Path.Combine(_dir, name);
            System.IO.File.WriteAllText(path, text);
            return path;
        }

        /// <summary>The CLI with <paramref name="args"/> plus the report folder, no progress, and every wallet instance's and the simulator's URL.</summary>
        public async Task<(int Code, string Stdout, string Stderr)> RunAsync(LoadTestsCliOptions options, params string[] args)
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            string[] all =
            [
                .. args, "--no-progress", "--report-dir", Folder,
                .. Wallet!.Instances.SelectMany(i => new[] { "--wallet-url", i.Uri.ToString() }),
                "--simulator-url", Simulator.ControlUri.ToString(),
            ];
            var code = await LoadTestsCli.InvokeAsync(all, options, stdout, stderr);
            return (code, stdout.ToString(), stderr.ToString());
        }

        public JsonObject Summary() => JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(Folder, "summary.json")))!.AsObject();

        public async ValueTask DisposeAsync()
        {
            if (Wallet is not null)
            {
                await Wallet.DisposeAsync();
            }

            await Simulator.DisposeAsync();
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>The shape of an adapter: delegate to whatever speaks your wallet's API.</summary>
    private sealed class CountingClient(HttpWalletClient inner, ConcurrentDictionary<string, int> calls) : IWalletClient, IDisposable
    {
        public IReadOnlyDictionary<string, long> ServedBy => inner.ServedBy;

        public Task<WalletReply<WalletUser>> RegisterAsync(string phone, string password, string pin, CancellationToken ct) =>
            Count("register", inner.RegisterAsync(phone, password, pin, ct));

        public Task<WalletReply<BindingStarted>> StartBindingAsync(WalletUser user, CardInput card, CancellationToken ct) =>
            Count("bind_start", inner.StartBindingAsync(user, card, ct));

        public Task<WalletReply<BoundCard>> ConfirmBindingAsync(WalletUser user, string bindingId, string otp, CancellationToken ct) =>
            Count("bind_confirm", inner.ConfirmBindingAsync(user, bindingId, otp, ct));

        public Task<WalletReply<PaymentDone>> PayAsync(WalletUser user, PaymentRequest payment, string idempotencyKey, CancellationToken ct) =>
            Count("pay", inner.PayAsync(user, payment, idempotencyKey, ct));

        public Task<WalletReply<RefundDone>> RefundAsync(WalletUser user, string paymentId, long amountMinor, string idempotencyKey, CancellationToken ct) =>
            Count("refund", inner.RefundAsync(user, paymentId, amountMinor, idempotencyKey, ct));

        public Task<WalletReply<int>> GetTransactionsAsync(WalletUser user, CancellationToken ct) =>
            Count("history", inner.GetTransactionsAsync(user, ct));

        public Task<WalletReply<IReadOnlyList<WalletTransaction>>> GetHistoryAsync(WalletUser user, CancellationToken ct) =>
            Count("reconcile_history", inner.GetHistoryAsync(user, ct));

        public string Balancing => "counting adapter over " + inner.Balancing;

        public Task<string?> CheckHealthAsync(CancellationToken ct) => inner.CheckHealthAsync(ct);

        public void Dispose() => inner.Dispose();

        private Task<T> Count<T>(string call, Task<T> task)
        {
            calls.AddOrUpdate(call, 1, (_, n) => n + 1);
            return task;
        }
    }
}

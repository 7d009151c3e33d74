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
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 5 });
        var db = Path.Combine(Path.GetTempPath(), $"paysim-lt-ext-{Guid.NewGuid():N}.db");
        var folder = Path.Combine(Path.GetTempPath(), $"paysim-lt-ext-{Guid.NewGuid():N}");
        try
        {
            await using (var wallet = await WalletHost.StartAsync(new WalletOptions
            {
                Instances = 2,
                Port = 0,
                IssuerUris = simulator.IssuerNodes.Select(n => n.Uri).ToArray(),
                DatabasePath = db,
                PasswordHashIterations = 1_000,
                PinHashIterations = 1_000,
            }))
            {
                var calls = new ConcurrentDictionary<string, int>();
                var options = new LoadTestsCliOptions
                {
                    WalletClientFactory = (urls, timeout) => new CountingClient(new HttpWalletClient(urls, timeout), calls),
                };
                using var stdout = new StringWriter();
                using var stderr = new StringWriter();
                string[] args =
                [
                    "run", "--plan", "smoke", "--duration", "6s", "--no-progress", "--report-dir", folder,
                    "--wallet-url", wallet.Instances[0].Uri.ToString(), "--wallet-url", wallet.Instances[1].Uri.ToString(),
                    "--simulator-url", simulator.ControlUri.ToString(),
                ];

                var code = await LoadTestsCli.InvokeAsync(args, options, stdout, stderr);

                Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}\n{stdout}\n{stderr}");
                var summary = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "summary.json")))!.AsObject();
                Assert.Equal("external", summary["target"]!["kind"]!.GetValue<string>());
                Assert.Equal(2, summary["walletInstances"]!.AsArray().Count);
                Assert.True(calls.GetValueOrDefault("pay") > 10, string.Join(", ", calls));
                Assert.True(calls.GetValueOrDefault("register") >= 10, string.Join(", ", calls));
                // The wallet's view for reconciliation came through the adapter too, one history per prepared user at least.
                Assert.True(calls.GetValueOrDefault("reconcile_history") >= 10, string.Join(", ", calls));
                Assert.Equal(0, summary["reconciliation"]!["excessCharges"]!.GetValue<long>());
                Assert.StartsWith("counting adapter over round robin over 2 URLs", summary["target"]!["walletBalancing"]!.GetValue<string>(), StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (var f in new[] { db, db + "-wal", db + "-shm" })
            {
                File.Delete(f);
            }

            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Run_WhoseWalletCrashHookFails_GivesNoVerdict_EvenThoughEveryClaimHeld()
    {
        // The audit's false pass: the hook that should kill wallet-2 fails, nothing dies, and the HA claims "hold".
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 5 });
        var db = Path.Combine(Path.GetTempPath(), $"paysim-lt-ext-{Guid.NewGuid():N}.db");
        var folder = Path.Combine(Path.GetTempPath(), $"paysim-lt-ext-{Guid.NewGuid():N}");
        try
        {
            await using var wallet = await WalletHost.StartAsync(new WalletOptions
            {
                Instances = 2,
                Port = 0,
                IssuerUris = simulator.IssuerNodes.Select(n => n.Uri).ToArray(),
                DatabasePath = db,
                PasswordHashIterations = 1_000,
                PinHashIterations = 1_000,
            });
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            string[] args =
            [
                "run", "--plan", "instance-crash", "--duration", "8s", "--settle", "2s", "--no-progress", "--report-dir", folder,
                "--wallet-url", wallet.Instances[0].Uri.ToString(), "--wallet-url", wallet.Instances[1].Uri.ToString(),
                "--simulator-url", simulator.ControlUri.ToString(), "--wallet-hook", "crash=false", "--wallet-hook", "restart=false",
            ];

            var code = await LoadTestsCli.InvokeAsync(args, new LoadTestsCliOptions(), stdout, stderr);

            Assert.True(code == ExitCodes.NotCompleted, $"exit {code}\n{stdout}\n{stderr}");
            Assert.Contains("run failed, no verdict: the plan did not run as written: \"wallet wallet-2 crash\" at ", stderr.ToString(), StringComparison.Ordinal);
            Assert.Contains("no verdict (the plan did not run as written;", stdout.ToString(), StringComparison.Ordinal);
            var summary = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "summary.json")))!.AsObject();
            Assert.Equal("fail", summary["verdict"]!.GetValue<string>());
            Assert.StartsWith("the plan did not run as written: ", summary["abortReason"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.False(summary["aborted"]!.GetValue<bool>());
            var junit = System.Xml.Linq.XDocument.Load(Path.Combine(folder, "junit.xml"));
            Assert.Equal("1", (string?)junit.Descendants("testsuite").Single().Attribute("errors"));
        }
        finally
        {
            foreach (var f in new[] { db, db + "-wal", db + "-shm" })
            {
                File.Delete(f);
            }

            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Run_WhosePlanFaultIsNamedLikeARuleAlreadyOnTheSimulator_IsRefusedBeforeAnything_AndTheRuleStays()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 5 });
        simulator.ApplyFaults("""[{"name":"pre-existing","node":"issuer-*","method":"Authorize","latency":"1ms","probability":0}]""");
        var db = Path.Combine(Path.GetTempPath(), $"paysim-lt-ext-{Guid.NewGuid():N}.db");
        var folder = Path.Combine(Path.GetTempPath(), $"paysim-lt-ext-{Guid.NewGuid():N}");
        var plan = Path.Combine(Path.GetTempPath(), $"paysim-lt-clash-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(plan, """
            {"name": "clash", "duration": "3s", "rate": 2, "scenarios": [{"name": "payment", "weight": 1}],
             "faults": [{"name": "pre-existing", "node": "issuer-*", "method": "Authorize", "latency": "5ms"}],
             "claims": ["excess_charges == 0"]}
            """);
        try
        {
            await using var wallet = await WalletHost.StartAsync(new WalletOptions
            {
                Instances = 1,
                Port = 0,
                IssuerUris = simulator.IssuerNodes.Select(n => n.Uri).ToArray(),
                DatabasePath = db,
            });
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            string[] args =
            [
                "run", "--plan", plan, "--no-progress", "--report-dir", folder,
                "--wallet-url", wallet.Instances[0].Uri.ToString(), "--simulator-url", simulator.ControlUri.ToString(),
            ];

            var code = await LoadTestsCli.InvokeAsync(args, new LoadTestsCliOptions(), stdout, stderr);

            Assert.True(code == ExitCodes.BadInput, $"exit {code}\n{stdout}\n{stderr}");
            Assert.Contains("faults[0].name: \"pre-existing\" is already a fault rule on the simulator at", stderr.ToString(), StringComparison.Ordinal);
            Assert.False(Directory.Exists(folder));
            Assert.Equal(0, simulator.GetStats().Nodes.Sum(n => n.Requests));
            var rule = Assert.Single(JsonNode.Parse(simulator.FaultRulesJson)!.AsArray())!;
            Assert.Equal(("pre-existing", 0d), (rule["name"]!.GetValue<string>(), rule["probability"]!.GetValue<double>()));
        }
        finally
        {
            foreach (var f in new[] { db, db + "-wal", db + "-shm", plan })
            {
                File.Delete(f);
            }
        }
    }

    [Fact]
    public async Task Run_OnASimulatorWithLeftoverRules_AndAPlanWithoutClaims_WarnsOfBoth_OnScreenAndInTheSummary()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 5 });
        simulator.ApplyFaults("""[{"name":"left-behind","node":"issuer-*","method":"Authorize","latency":"1ms"}]""");
        var db = Path.Combine(Path.GetTempPath(), $"paysim-lt-ext-{Guid.NewGuid():N}.db");
        var folder = Path.Combine(Path.GetTempPath(), $"paysim-lt-ext-{Guid.NewGuid():N}");
        var plan = Path.Combine(Path.GetTempPath(), $"paysim-lt-noclaims-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(plan, """{"name": "bare", "duration": "2s", "warmUp": "0s", "rate": 2, "scenarios": [{"name": "history"}], "claims": []}""");
        try
        {
            await using var wallet = await WalletHost.StartAsync(new WalletOptions
            {
                Instances = 1,
                Port = 0,
                IssuerUris = simulator.IssuerNodes.Select(n => n.Uri).ToArray(),
                DatabasePath = db,
                PasswordHashIterations = 1_000,
                PinHashIterations = 1_000,
            });
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            string[] args =
            [
                "run", "--plan", plan, "--no-progress", "--report-dir", folder,
                "--wallet-url", wallet.Instances[0].Uri.ToString(), "--simulator-url", simulator.ControlUri.ToString(),
            ];

            var code = await LoadTestsCli.InvokeAsync(args, new LoadTestsCliOptions(), stdout, stderr);

            Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}\n{stdout}\n{stderr}");
            var leftover = $"the simulator at {simulator.ControlUri} has 1 fault rule(s) already in force (left-behind) before the run: they act on its calls and are not in its fault timeline";
            const string noClaims = "the plan has no claims: its verdict checks nothing and passes whatever the run does";
            Assert.Contains("warning: " + leftover, stdout.ToString(), StringComparison.Ordinal);
            Assert.Contains("warning: " + noClaims, stdout.ToString(), StringComparison.Ordinal);
            var warnings = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "summary.json")))!["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToArray();
            Assert.Contains(warnings, w => w.StartsWith(leftover, StringComparison.Ordinal));
            Assert.Contains(noClaims, warnings);
        }
        finally
        {
            foreach (var f in new[] { db, db + "-wal", db + "-shm", plan })
            {
                File.Delete(f);
            }

            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
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

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Tests.EndToEnd.BrokenWallet;
using PaySim.LoadTests.Wallets;
using PaySim.Simulator.Hosting;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// Issue 14's two blind spots, end to end against a real simulator: a wallet that retries Authorize with fresh
/// keys and no order reference must fail double-charge on excess_charges, and two users paying one merchant with
/// the same order reference must not be a duplicate.
/// </summary>
[Collection(EndToEndSecondLane.Name)]
public sealed class ReconciliationRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-recon-").FullName;

    [Fact]
    public async Task DoubleCharge_AgainstAWalletThatRetriesAuthorizeWithFreshKeys_FailsOnExcessChargesWhileDuplicateChargesSeesNothing()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 11 });
        await using var wallet = await FreshKeyWallet.StartAsync(simulator.IssuerNodes.Select(n => n.Uri).ToArray());
        var folder = Path.Combine(_dir, "broken");

        var (code, stdout, stderr) = await Cli.CliRunner.RunAsync(
            "run", "--plan", "double-charge", "--duration", "10s", "--settle", "2s", "--no-progress", "--report-dir", folder,
            "--wallet-url", wallet.Uri.ToString(), "--simulator-url", simulator.ControlUri.ToString());

        Assert.True(code == ExitCodes.ClaimFailed, $"exit {code}\n{stdout}\n{stderr}");
        var summary = Read(folder);
        var reconciliation = summary["reconciliation"]!;
        Assert.True(reconciliation["excessCharges"]!.GetValue<long>() > 0, reconciliation.ToJsonString());
        Assert.True(reconciliation["excessMinor"]!.GetValue<long>() >= 100 * reconciliation["excessCharges"]!.GetValue<long>(), reconciliation.ToJsonString());
        var evidence = reconciliation["evidence"]!["excessCharges"]!.AsArray();
        Assert.InRange(evidence.Count, 1, 20);
        Assert.All(evidence, row => Assert.True(row!["issuer"]!.AsArray().Count >= 2, row.ToJsonString()));
        // The simulator's own check cannot see it: no two authorizations share a key or an order reference.
        Assert.Equal(0, summary["duplicateCharges"]!.GetValue<long>());
        Assert.True(Claim(summary, "duplicate_charges == 0")["pass"]!.GetValue<bool>());
        Assert.False(Claim(summary, "excess_charges == 0")["pass"]!.GetValue<bool>());
        Assert.Contains("excess_charges == 0 (observed", stdout, StringComparison.Ordinal);
        Assert.Contains("reconciled: ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DoubleCharge_TwoUsersPayingOneMerchantWithTheSameOrderReference_IsNeitherAnExcessNorADuplicate()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 12 });
        var db = Path.Combine(_dir, "wallet.db");
        await using var wallet = await WalletHost.StartAsync(new WalletOptions
        {
            Instances = 2,
            Port = 0,
            IssuerUris = simulator.IssuerNodes.Select(n => n.Uri).ToArray(),
            DatabasePath = db,
            PasswordHashIterations = 1_000,
        });
        var shared = new SharedOrderReferences();
        var folder = Path.Combine(_dir, "shared");
        var options = new LoadTestsCliOptions { WalletClientFactory = (urls, timeout) => new SharingClient(new HttpWalletClient(urls, timeout), shared) };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await LoadTestsCli.InvokeAsync(
            ["run", "--plan", "double-charge", "--duration", "6s", "--no-progress", "--report-dir", folder,
             "--wallet-url", wallet.Instances[0].Uri.ToString(), "--wallet-url", wallet.Instances[1].Uri.ToString(), "--simulator-url", simulator.ControlUri.ToString()],
            options, stdout, stderr);

        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}\n{stdout}\n{stderr}");
        Assert.True(shared.PaymentsSharingAReference() >= 20, $"only {shared.PaymentsSharingAReference()} payments shared an order reference with another user's");
        var summary = Read(folder);
        Assert.Equal(0, summary["duplicateCharges"]!.GetValue<long>());
        Assert.Equal(0, summary["reconciliation"]!["excessCharges"]!.GetValue<long>());
        Assert.True(summary["reconciliation"]!["views"]!["issuer"]!["entries"]!.GetValue<long>() > 20);
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

    private static JsonObject Read(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!.AsObject();

    private static JsonObject Claim(JsonObject summary, string expression) =>
        summary["claims"]!.AsArray().Single(c => c!["expression"]!.GetValue<string>() == expression)!.AsObject();

    /// <summary>Every user's n-th payment gets the order reference "order-n", so different users send equal ones.</summary>
    private sealed class SharedOrderReferences
    {
        private readonly ConcurrentDictionary<(string User, string Key), string> _byKey = new();
        private readonly ConcurrentDictionary<string, int> _perUser = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _users = new(StringComparer.Ordinal);

        public string For(string user, string key)
        {
            var reference = _byKey.GetOrAdd((user, key), _ => "order-" + _perUser.AddOrUpdate(user, 1, (_, n) => n + 1));
            _users.GetOrAdd(reference, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal))[user] = 0;
            return reference;
        }

        public int PaymentsSharingAReference() => _users.Values.Where(u => u.Count > 1).Sum(u => u.Count);
    }

    private sealed class SharingClient(HttpWalletClient inner, SharedOrderReferences shared) : IWalletClient, IDisposable
    {
        public IReadOnlyDictionary<string, long> ServedBy => inner.ServedBy;

        public Task<WalletReply<WalletUser>> RegisterAsync(string phone, string password, string pin, CancellationToken ct) => inner.RegisterAsync(phone, password, pin, ct);

        public Task<WalletReply<BindingStarted>> StartBindingAsync(WalletUser user, CardInput card, CancellationToken ct) => inner.StartBindingAsync(user, card, ct);

        public Task<WalletReply<BoundCard>> ConfirmBindingAsync(WalletUser user, string bindingId, string otp, CancellationToken ct) => inner.ConfirmBindingAsync(user, bindingId, otp, ct);

        public Task<WalletReply<PaymentDone>> PayAsync(WalletUser user, PaymentRequest payment, string idempotencyKey, CancellationToken ct) =>
            inner.PayAsync(user, payment with { OrderReference = shared.For(user.UserId, idempotencyKey) }, idempotencyKey, ct);

        public Task<WalletReply<RefundDone>> RefundAsync(WalletUser user, string paymentId, long amountMinor, string idempotencyKey, CancellationToken ct) =>
            inner.RefundAsync(user, paymentId, amountMinor, idempotencyKey, ct);

        public Task<WalletReply<int>> GetTransactionsAsync(WalletUser user, CancellationToken ct) => inner.GetTransactionsAsync(user, ct);

        public Task<WalletReply<IReadOnlyList<WalletTransaction>>> GetHistoryAsync(WalletUser user, CancellationToken ct) => inner.GetHistoryAsync(user, ct);

        public Task<string?> CheckHealthAsync(CancellationToken ct) => inner.CheckHealthAsync(ct);

        public void Dispose() => inner.Dispose();
    }
}

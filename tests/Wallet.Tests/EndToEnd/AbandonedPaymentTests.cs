using System.Net;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Payments;
using PaySim.Wallet.Storage;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.EndToEnd;

/// <summary>
/// A wallet process dies mid-payment and its client never retries: the payment must not stay pending, and its
/// issuer hold must not stay held. The recovery pass of a live instance settles it under the original issuer keys.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AbandonedPaymentTests
{
    private static readonly TimeSpan LongDead = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_payment_abandoned_after_its_Authorize_is_voided_and_a_later_retry_gets_the_settled_outcome_not_a_charge()
    {
        await using var cluster = await StartAsync();
        var (client, dead) = await BoundUserAsync(cluster);
        var payment = await dead.AbandonPaymentAsync("abandoned-1", "order-a1", 700, DeadProcess.Reached.Authorized, LongDead);
        Assert.Equal("held", Assert.Single(dead.Ledger()).State);

        var pass = await Recovery(cluster).RunOnceAsync(CancellationToken.None);

        Assert.Equal(new PaymentRecovery.PassResult(1, 1), pass);
        var entry = Assert.Single(dead.Ledger());
        Assert.Equal(("released", 700L, 0L), (entry.State, entry.ReleasedMinor, entry.CapturedMinor));
        var stored = await dead.Payments.GetAsync(payment.Id, CancellationToken.None);
        Assert.Equal((PaymentStatus.Voided, entry.AuthorizationId, "payment_voided"), (stored!.Status, stored.AuthorizationId, stored.ErrorCode));
        var retry = await Cluster.PayAsync(client, 700, "order-a1", "abandoned-1", payment.CardId);
        Assert.Equal((HttpStatusCode.Conflict, "payment_voided"), (retry.Status, retry.ErrorCode));
        Assert.Single(dead.Ledger());
        AssertMoneyRight(cluster, held: 0, captured: 0);
    }

    [Fact]
    public async Task A_payment_abandoned_before_it_reached_the_issuer_leaves_no_hold_behind()
    {
        await using var cluster = await StartAsync();
        var (_, dead) = await BoundUserAsync(cluster);
        var payment = await dead.AbandonPaymentAsync("abandoned-2", "order-a2", 300, DeadProcess.Reached.Nothing, LongDead);

        await Recovery(cluster).RunOnceAsync(CancellationToken.None);

        // Asking the issuer again under the same key is the only way to know; the hold it makes is released at once.
        Assert.All(dead.Ledger(), e => Assert.Equal("released", e.State));
        Assert.Equal(PaymentStatus.Voided, (await dead.Payments.GetAsync(payment.Id, CancellationToken.None))!.Status);
        AssertMoneyRight(cluster, held: 0, captured: 0);
    }

    [Fact]
    public async Task A_payment_abandoned_after_its_capture_is_refunded_in_full_and_shows_as_reversed_with_its_refund()
    {
        await using var cluster = await StartAsync();
        var (client, dead) = await BoundUserAsync(cluster);
        var payment = await dead.AbandonPaymentAsync("abandoned-3", "order-a3", 900, DeadProcess.Reached.Captured, LongDead);

        Assert.Equal(new PaymentRecovery.PassResult(1, 1), await Recovery(cluster).RunOnceAsync(CancellationToken.None));

        var entry = Assert.Single(dead.Ledger());
        Assert.Equal(("refunded", 900L, 900L), (entry.State, entry.CapturedMinor, entry.RefundedMinor));
        var history = await client.GetAsync($"/users/{client.UserId}/transactions");
        var line = history.Json!["transactions"]!.AsArray().Single(t => t!["kind"]!.GetValue<string>() == "payment")!;
        Assert.Equal(("reversed", payment.Id, entry.AuthorizationId), (line["status"]!.GetValue<string>(), line["paymentId"]!.GetValue<string>(), line["authorizationId"]!.GetValue<string>()));
        var refund = Assert.Single(line["refunds"]!.AsArray())!;
        Assert.Equal((AbandonedPayments.ReversalKey, 900L, "completed"), (refund["idempotencyKey"]!.GetValue<string>(), refund["amount"]!.GetValue<long>(), refund["status"]!.GetValue<string>()));
        var retry = await Cluster.PayAsync(client, 900, "order-a3", "abandoned-3", payment.CardId);
        Assert.Equal((HttpStatusCode.Conflict, "payment_reversed"), (retry.Status, retry.ErrorCode));
        AssertMoneyRight(cluster, held: 0, captured: 900, refunded: 900);
    }

    [Fact]
    public async Task A_payment_still_inside_its_stale_window_is_left_to_its_process()
    {
        await using var cluster = await StartAsync();
        var (client, dead) = await BoundUserAsync(cluster);
        var payment = await dead.AbandonPaymentAsync("live-1", "order-l1", 100, DeadProcess.Reached.Authorized, TimeSpan.Zero);

        var pass = await Recovery(cluster).RunOnceAsync(CancellationToken.None);
        var retry = await Cluster.PayAsync(client, 100, "order-l1", "live-1", payment.CardId);

        Assert.Equal(new PaymentRecovery.PassResult(0, 0), pass);
        Assert.Equal((HttpStatusCode.Conflict, "payment_in_progress"), (retry.Status, retry.ErrorCode));
        Assert.Equal("held", Assert.Single(dead.Ledger()).State);
    }

    [Fact]
    public async Task Two_instances_recovering_at_once_settle_each_abandoned_payment_once()
    {
        await using var cluster = await StartAsync(instances: 2);
        var (_, dead) = await BoundUserAsync(cluster);
        const int Abandoned = 12;
        for (var i = 0; i < Abandoned; i++)
        {
            await dead.AbandonPaymentAsync("twice-" + i, "order-t" + i, 100 + i, DeadProcess.Reached.Authorized, LongDead);
        }

        var passes = await Task.WhenAll(cluster.Wallet.RunningInstances.Select(i => i.Recovery!.RunOnceAsync(CancellationToken.None)));

        Assert.Equal(Abandoned, passes.Sum(p => p.Claimed));
        Assert.Equal(Abandoned, passes.Sum(p => p.Settled));
        // A row settled twice would have sent its Void twice.
        Assert.Equal(Abandoned, cluster.CallsPerNode("Void").Values.Sum());
        Assert.All(dead.Ledger(), e => Assert.Equal("released", e.State));
        AssertMoneyRight(cluster, held: 0, captured: 0);
    }

    [Fact]
    public async Task The_recovery_loop_settles_an_abandoned_payment_on_its_own()
    {
        await using var cluster = await StartAsync(recoveryInterval: TimeSpan.FromMilliseconds(100));
        var (_, dead) = await BoundUserAsync(cluster);
        var payment = await dead.AbandonPaymentAsync("looped-1", "order-o1", 400, DeadProcess.Reached.Authorized, LongDead);

        var settled = await Eventually.ReturnsAsync(
            async () => (await dead.Payments.GetAsync(payment.Id, CancellationToken.None))!.Status, s => s == PaymentStatus.Voided, TimeSpan.FromSeconds(20));

        Assert.Equal(PaymentStatus.Voided, settled);
        Assert.Equal("released", Assert.Single(dead.Ledger()).State);
    }

    [Fact]
    public async Task A_request_that_stalled_past_the_stale_window_answers_with_what_the_recovery_made_of_its_payment()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient, wallet: o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.CallTimeout = TimeSpan.FromSeconds(6);
            o.MaxRetryAttempts = 0;
            o.RecoveryInterval = TimeSpan.FromHours(1);
        });
        var (client, dead) = await BoundUserAsync(cluster);
        await cluster.ApplyFaultAsync(new { name = "slow-capture", method = "Capture", latency = "2s" });

        var paying = Cluster.PayAsync(client, 800, "order-s1", "stalled-1");
        var inCapture = await Eventually.ReturnsAsync(() => Task.FromResult(cluster.CallsPerNode("Capture").Values.Sum()), n => n > 0, TimeSpan.FromSeconds(10));
        Assert.Equal(1, inCapture);
        // The request is stuck in Capture; to the other instances it looks dead (last written long ago).
        var payment = (await dead.Payments.FindByKeyAsync(client.UserId!, "stalled-1", CancellationToken.None))!;
        await dead.AgeAsync("payments", payment.Id, LongDead);
        Assert.Equal(new PaymentRecovery.PassResult(1, 1), await Recovery(cluster).RunOnceAsync(CancellationToken.None));

        var answer = await paying;

        // The Void came first, so the late Capture found nothing to capture; the stalled request does not
        // overwrite the settlement with its own outcome, it reports it.
        Assert.Equal((HttpStatusCode.Conflict, "payment_voided"), (answer.Status, answer.ErrorCode));
        Assert.Equal(PaymentStatus.Voided, (await dead.Payments.GetAsync(payment.Id, CancellationToken.None))!.Status);
        Assert.Equal(("released", 0L), (Assert.Single(dead.Ledger()).State, Assert.Single(dead.Ledger()).CapturedMinor));
    }

    [Fact]
    public async Task A_capture_declined_after_an_approved_Authorize_releases_the_hold_in_resilient_mode()
    {
        await using var cluster = await StartAsync();
        var (client, dead) = await BoundUserAsync(cluster);
        await DeclineCapturesAsync(cluster);

        var paid = await Cluster.PayAsync(client, 500, "order-d1", "declined-1");

        Assert.Equal((HttpStatusCode.PaymentRequired, "do_not_honour"), (paid.Status, paid.ErrorCode));
        var entry = Assert.Single(dead.Ledger());
        Assert.Equal(("released", 500L), (entry.State, entry.ReleasedMinor));
        AssertMoneyRight(cluster, held: 0, captured: 0);
    }

    [Fact]
    public async Task A_declined_payment_whose_Void_could_not_reach_the_issuer_is_released_by_the_recovery_pass()
    {
        await using var cluster = await StartAsync();
        var (client, dead) = await BoundUserAsync(cluster);
        await DeclineCapturesAsync(cluster);
        await cluster.ApplyFaultAsync(new { name = "no-void", method = "Void", error = new { grpcStatus = "UNAVAILABLE" } });

        var paid = await Cluster.PayAsync(client, 600, "order-d2", "declined-2");
        Assert.Equal(HttpStatusCode.PaymentRequired, paid.Status);
        Assert.Equal("held", Assert.Single(dead.Ledger()).State);
        var payment = (await dead.Payments.FindByKeyAsync(client.UserId!, "declined-2", CancellationToken.None))!;
        Assert.True(payment.ReleasePending);

        await cluster.ClearFaultsAsync();
        await dead.AgeAsync("payments", payment.Id, LongDead);
        await Recovery(cluster).RunOnceAsync(CancellationToken.None);

        Assert.Equal("released", Assert.Single(dead.Ledger()).State);
        var after = (await dead.Payments.GetAsync(payment.Id, CancellationToken.None))!;
        Assert.Equal((PaymentStatus.Declined, false), (after.Status, after.ReleasePending));
    }

    [Fact]
    public async Task A_naive_wallet_leaves_the_hold_of_a_declined_capture_held()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Naive);
        var client = await cluster.NewUserAsync();
        await cluster.BindAsync(client, cluster.Cardholder("healthy"));
        await DeclineCapturesAsync(cluster);

        var paid = await Cluster.PayAsync(client, 500, "order-n1", "naive-1");

        Assert.Equal(HttpStatusCode.PaymentRequired, paid.Status);
        Assert.Equal("held", Assert.Single(cluster.Simulator.GetLedger("", 100).Entries).State);
        Assert.Null(cluster.Wallet.RunningInstances[0].Recovery);
    }

    private static Task<Cluster> StartAsync(int instances = 1, TimeSpan? recoveryInterval = null) =>
        Cluster.StartAsync(WalletMode.Resilient, wallet: o =>
        {
            o.Instances = instances;
            o.AttemptTimeout = TimeSpan.FromMilliseconds(500);
            o.CallTimeout = TimeSpan.FromSeconds(1);
            o.MaxRetryAttempts = 1;
            // The tests run the pass themselves unless they test the loop.
            o.RecoveryInterval = recoveryInterval ?? TimeSpan.FromHours(1);
        });

    private static async Task<(WalletClient Client, DeadProcess Dead)> BoundUserAsync(Cluster cluster)
    {
        var client = await cluster.NewUserAsync();
        var cardId = await cluster.BindAsync(client, cluster.Cardholder("healthy"));
        return (client, new DeadProcess(cluster, client, cardId));
    }

    private static async Task DeclineCapturesAsync(Cluster cluster) =>
        Assert.True((await cluster.ApplyFaultAsync(new { name = "refuse-capture", method = "Capture", decline = new { code = "05" } })).IsSuccessStatusCode);

    private static PaymentRecovery Recovery(Cluster cluster) => cluster.Wallet.RunningInstances[0].Recovery!;

    private static void AssertMoneyRight(Cluster cluster, long held, long captured, long refunded = 0)
    {
        var invariants = cluster.Simulator.GetInvariants();
        Assert.True(invariants.MoneyConserved, string.Join("; ", invariants.Violations));
        Assert.Equal((0L, held, captured, refunded), (invariants.DuplicateCharges, invariants.HeldMinor, invariants.CapturedMinor, invariants.RefundedMinor));
    }
}

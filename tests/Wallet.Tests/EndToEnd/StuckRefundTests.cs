using System.Net;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Storage;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.EndToEnd;

/// <summary>
/// A wallet process dies in the middle of a refund: the amount is reserved and the refund pending. It must not
/// answer "in progress" forever nor keep the amount reserved; whatever the issuer did, it is recorded once.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class StuckRefundTests
{
    private static readonly TimeSpan LongDead = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_refund_left_pending_by_a_dead_process_is_taken_over_by_a_retry_with_its_key_and_refunded_once(bool issuerRefundedBeforeTheCrash)
    {
        await using var cluster = await StartAsync();
        var (client, dead, paymentId, authorizationId) = await PaidAsync(cluster, 1_000);
        await dead.AbandonRefundAsync(paymentId, authorizationId, "refund-key-1", 400, issuerRefundedBeforeTheCrash, LongDead);

        var retry = await client.PostAsync($"/payments/{paymentId}/refund", new { amount = 400 }, "refund-key-1");

        Assert.True(retry.Status == HttpStatusCode.Created, retry.ToString());
        Assert.Equal(("completed", 400L), (retry.Str("status"), retry.Long("paymentRefunded")));
        var entry = Assert.Single(dead.Ledger());
        Assert.Equal(("partially_refunded", 400L), (entry.State, entry.RefundedMinor));
        var replay = await client.PostAsync($"/payments/{paymentId}/refund", new { amount = 400 }, "refund-key-1");
        Assert.Equal((HttpStatusCode.OK, retry.Str("refundId")), (replay.Status, replay.Str("refundId")));
        Assert.Equal(400, Assert.Single(dead.Ledger()).RefundedMinor);
    }

    [Fact]
    public async Task A_refund_still_inside_its_stale_window_answers_in_progress()
    {
        await using var cluster = await StartAsync();
        var (client, dead, paymentId, authorizationId) = await PaidAsync(cluster, 1_000);
        await dead.AbandonRefundAsync(paymentId, authorizationId, "refund-key-2", 300, issuerRefunded: false, TimeSpan.Zero);

        var retry = await client.PostAsync($"/payments/{paymentId}/refund", new { amount = 300 }, "refund-key-2");

        Assert.Equal((HttpStatusCode.Conflict, "payment_in_progress"), (retry.Status, retry.ErrorCode));
    }

    [Fact]
    public async Task A_refund_abandoned_with_no_retry_is_finished_by_the_recovery_pass_from_the_issuers_reply()
    {
        await using var cluster = await StartAsync();
        var (client, dead, paymentId, authorizationId) = await PaidAsync(cluster, 1_000);
        var refund = await dead.AbandonRefundAsync(paymentId, authorizationId, "refund-key-3", 250, issuerRefunded: true, LongDead);

        var pass = await cluster.Wallet.RunningInstances[0].Recovery!.RunOnceAsync(CancellationToken.None);

        Assert.Equal((1, 1), (pass.Claimed, pass.Settled));
        var history = await client.GetAsync($"/users/{client.UserId}/transactions");
        var line = history.Json!["transactions"]!.AsArray().Single(t => t!["id"]!.GetValue<string>() == refund.Id)!;
        Assert.Equal(("refund", "completed", "refund-key-3"), (line["kind"]!.GetValue<string>(), line["status"]!.GetValue<string>(), line["idempotencyKey"]!.GetValue<string>()));
        Assert.Equal(250, Assert.Single(dead.Ledger()).RefundedMinor);
        Assert.Equal(250, (await dead.Payments.GetAsync(paymentId, CancellationToken.None))!.RefundedMinor);
    }

    [Fact]
    public async Task A_refund_the_issuer_refuses_on_recovery_frees_its_reserved_amount()
    {
        await using var cluster = await StartAsync();
        var (_, dead, paymentId, authorizationId) = await PaidAsync(cluster, 1_000);
        await dead.AbandonRefundAsync(paymentId, authorizationId, "refund-key-4", 200, issuerRefunded: false, LongDead);
        await cluster.ApplyFaultAsync(new { name = "refuse-refund", method = "Refund", decline = new { code = "05" } });

        await cluster.Wallet.RunningInstances[0].Recovery!.RunOnceAsync(CancellationToken.None);

        Assert.Null(await dead.Payments.FindRefundAsync(paymentId, "refund-key-4", CancellationToken.None));
        Assert.Equal(0, (await dead.Payments.GetAsync(paymentId, CancellationToken.None))!.RefundedMinor);
        Assert.Equal(0, Assert.Single(dead.Ledger()).RefundedMinor);
    }

    [Fact]
    public async Task A_refund_whose_replies_were_all_lost_keeps_its_amount_reserved_and_a_retry_records_the_issuers_refund_once()
    {
        await using var cluster = await StartAsync();
        var (client, dead, paymentId, _) = await PaidAsync(cluster, 1_000);
        await cluster.ApplyFaultAsync(new { name = "lost-refund-replies", method = "Refund", reset = new { when = "after" } });

        var lost = await client.PostAsync($"/payments/{paymentId}/refund", new { amount = 600 }, "refund-key-6");

        Assert.True((int)lost.Status >= 500, lost.ToString());
        Assert.Equal(600, Assert.Single(dead.Ledger()).RefundedMinor);
        var kept = await dead.Payments.FindRefundAsync(paymentId, "refund-key-6", CancellationToken.None);
        Assert.Equal(PaymentStatus.Failed, kept!.Status);
        Assert.Equal(600, (await dead.Payments.GetAsync(paymentId, CancellationToken.None))!.RefundedMinor);

        await cluster.ClearFaultsAsync();
        var retry = await client.PostAsync($"/payments/{paymentId}/refund", new { amount = 600 }, "refund-key-6");

        Assert.Equal((HttpStatusCode.Created, kept.Id, "completed"), (retry.Status, retry.Str("refundId"), retry.Str("status")));
        Assert.Equal(600, Assert.Single(dead.Ledger()).RefundedMinor);
    }

    [Theory]
    [InlineData(WalletMode.Naive)]
    [InlineData(WalletMode.Resilient)]
    public async Task A_refund_key_reused_with_another_amount_is_409_idempotency_key_reused_as_for_payments(WalletMode mode)
    {
        await using var cluster = await Cluster.StartAsync(mode);
        var client = await cluster.NewUserAsync();
        await cluster.BindAsync(client, cluster.Cardholder("healthy"));
        var paid = await Cluster.PayAsync(client, 1_000, "order-r5", "pay-r5");
        var paymentId = paid.Str("paymentId");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/payments/{paymentId}/refund", new { amount = 300 }, "refund-key-5")).Status);

        var reused = await client.PostAsync($"/payments/{paymentId}/refund", new { amount = 500 }, "refund-key-5");
        var same = await client.PostAsync($"/payments/{paymentId}/refund", new { amount = 300 }, "refund-key-5");

        Assert.Equal((HttpStatusCode.Conflict, "idempotency_key_reused"), (reused.Status, reused.ErrorCode));
        Assert.Equal((HttpStatusCode.OK, true), (same.Status, same.Replayed));
        Assert.Equal(300, Assert.Single(cluster.Simulator.GetLedger("", 10).Entries).RefundedMinor);
    }

    private static Task<Cluster> StartAsync() =>
        Cluster.StartAsync(WalletMode.Resilient, wallet: o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(500);
            o.CallTimeout = TimeSpan.FromSeconds(1);
            o.RecoveryInterval = TimeSpan.FromHours(1);
        });

    private static async Task<(WalletClient Client, DeadProcess Dead, string PaymentId, string AuthorizationId)> PaidAsync(Cluster cluster, long amount)
    {
        var client = await cluster.NewUserAsync();
        var cardId = await cluster.BindAsync(client, cluster.Cardholder("healthy"));
        var paid = await Cluster.PayAsync(client, amount, "order-" + Guid.NewGuid().ToString("N"), "pay-" + Guid.NewGuid().ToString("N"), cardId);
        Assert.True(paid.Status == HttpStatusCode.Created, paid.ToString());
        var dead = new DeadProcess(cluster, client, cardId);
        var payment = (await dead.Payments.GetAsync(paid.Str("paymentId")!, CancellationToken.None))!;
        return (client, dead, payment.Id, payment.AuthorizationId!);
    }
}

using System.Net;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class BindAndPayTests
{
    [Theory]
    [InlineData(WalletMode.Resilient)]
    [InlineData(WalletMode.Naive)]
    public async Task BindPayRefund_HealthyCard_LeavesHistoryNotificationsAndCleanInvariants(WalletMode mode)
    {
        await using var cluster = await Cluster.StartAsync(mode);
        using var user = await cluster.NewUserAsync();
        var card = cluster.Cardholder("healthy");

        var start = await Cluster.StartBindingAsync(user, card);
        Assert.Equal(HttpStatusCode.Created, start.Status);
        Assert.Equal(("otp_sent", card.Pan[^4..]), (start.Str("status"), start.Str("last4")));
        Assert.EndsWith(card.Phone[^4..], start.Str("maskedPhone"), StringComparison.Ordinal);
        var sms = await cluster.ReadSmsAsync(card.Phone, TimeSpan.FromSeconds(10));
        Assert.NotNull(sms);
        var confirm = await user.PostAsync($"/cards/bind/{start.Str("bindingId")}/confirm", new { otp = sms.Otp });
        Assert.Equal(HttpStatusCode.Created, confirm.Status);
        Assert.Equal((card.Pan[^4..], card.Network), (confirm.Str("last4"), confirm.Str("network")));
        var confirmAgain = await user.PostAsync($"/cards/bind/{start.Str("bindingId")}/confirm", new { otp = sms.Otp });
        Assert.Equal(confirm.Str("cardId"), confirmAgain.Str("cardId"));
        user.Currency = card.Currency;

        var paid = await Cluster.PayAsync(user, 1999, "order-1", "key-1");
        Assert.True(paid.Status == HttpStatusCode.Created, paid.ToString());
        Assert.Equal(("completed", 1999L, "order-1"), (paid.Str("status"), paid.Long("amount"), paid.Str("orderReference")));
        var replay = await Cluster.PayAsync(user, 1999, "order-1", "key-1");
        Assert.Equal((HttpStatusCode.OK, true, paid.Str("paymentId")), (replay.Status, replay.Replayed, replay.Str("paymentId")));
        var misuse = await Cluster.PayAsync(user, 2999, "order-1", "key-1");
        Assert.Equal((HttpStatusCode.Conflict, "idempotency_key_reused"), (misuse.Status, misuse.ErrorCode));

        var refund = await user.PostAsync($"/payments/{paid.Str("paymentId")}/refund", new { amount = 500 }, "refund-1");
        Assert.Equal(HttpStatusCode.Created, refund.Status);
        var refundReplay = await user.PostAsync($"/payments/{paid.Str("paymentId")}/refund", new { amount = 500 }, "refund-1");
        Assert.Equal((HttpStatusCode.OK, refund.Str("refundId")), (refundReplay.Status, refundReplay.Str("refundId")));
        var tooMuch = await user.PostAsync($"/payments/{paid.Str("paymentId")}/refund", new { amount = 1500 });
        Assert.Equal((HttpStatusCode.Conflict, "refund_exceeds_payment"), (tooMuch.Status, tooMuch.ErrorCode));
        var rest = await user.PostAsync($"/payments/{paid.Str("paymentId")}/refund");
        Assert.Equal((HttpStatusCode.Created, 1499L), (rest.Status, rest.Long("amount")));

        var history = await user.GetAsync($"/users/{user.UserId}/transactions");
        Assert.Equal(["refund", "refund", "payment"], history.Json!["transactions"]!.AsArray().Select(t => t!["kind"]!.GetValue<string>()));
        var notifications = await user.GetAsync($"/users/{user.UserId}/notifications");
        Assert.Equal(["refund_completed", "refund_completed", "payment_completed"], notifications.Json!["notifications"]!.AsArray().Select(n => n!["kind"]!.GetValue<string>()));

        var invariants = cluster.Simulator.GetInvariants();
        Assert.Equal(0, invariants.DuplicateCharges);
        Assert.True(invariants.MoneyConserved, string.Join("; ", invariants.Violations));
        Assert.Equal(1, cluster.CallsPerNode("Authorize").Values.Sum());
        Assert.Equal(2, cluster.CallsPerNode("Refund").Values.Sum());
    }

    [Theory]
    [InlineData(WalletMode.Resilient)]
    [InlineData(WalletMode.Naive)]
    public async Task Pay_RetriedWithoutCardIdAfterAnotherCardIsBound_ReplaysOnTheFirstCardAndChargesOnce(WalletMode mode)
    {
        await using var cluster = await Cluster.StartAsync(mode);
        using var user = await cluster.NewUserAsync();
        var firstCard = await cluster.BindAsync(user, cluster.Cardholder("healthy"));
        var currency = user.Currency;
        var body = new { amount = 1999, currency, merchant = "m-coffee", orderReference = "o-rebind", pin = "246810" };

        var paid = await user.PostAsync("/payments", body, "key-rebind");
        Assert.True(paid.Status == HttpStatusCode.Created, paid.ToString());
        Assert.Equal(firstCard, paid.Str("cardId"));

        // The default card (no cardId) is now the second one; the byte-identical retry still means the first payment.
        var secondCard = await cluster.BindAsync(user, cluster.Cardholder("healthy"));
        Assert.NotEqual(firstCard, secondCard);
        var retry = await user.PostAsync("/payments", body, "key-rebind");
        var onSecondCard = await user.PostAsync("/payments", new { body.amount, currency, body.merchant, body.orderReference, body.pin, cardId = secondCard }, "key-rebind");

        Assert.True(retry.Status == HttpStatusCode.OK, retry.ToString());
        Assert.Equal((true, paid.Str("paymentId"), firstCard), (retry.Replayed, retry.Str("paymentId"), retry.Str("cardId")));
        Assert.Equal((HttpStatusCode.Conflict, "idempotency_key_reused"), (onSecondCard.Status, onSecondCard.ErrorCode));
        Assert.Equal(1, cluster.CallsPerNode("Authorize").Values.Sum());
        Assert.Equal(1, cluster.CallsPerNode("Capture").Values.Sum());
        Assert.Equal(0, cluster.Simulator.GetInvariants().DuplicateCharges);
    }

    [Fact]
    public async Task Pay_OnEveryWalletInstance_SharesUsersCardsAndIdempotency()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient, wallet: o => o.Instances = 2);
        using var first = await cluster.NewUserAsync(instance: 0);
        await cluster.BindAsync(first, cluster.Cardholder("healthy"));
        using var second = cluster.Client(1);
        (second.Token, second.Currency) = (first.Token, first.Currency);

        var paid = await Cluster.PayAsync(first, 100, "order-9", "key-9");
        var replayElsewhere = await Cluster.PayAsync(second, 100, "order-9", "key-9");

        Assert.Equal(("wallet-1", HttpStatusCode.Created), (paid.ServedBy, paid.Status));
        Assert.Equal(("wallet-2", HttpStatusCode.OK, paid.Str("paymentId")), (replayElsewhere.ServedBy, replayElsewhere.Status, replayElsewhere.Str("paymentId")));
        Assert.Equal(1, cluster.CallsPerNode("Authorize").Values.Sum());
    }

    [Fact]
    public async Task Pay_ManyAtOnceOnTwoInstancesSharingTheDatabase_LosesNoPayment()
    {
        const int Payments = 400;
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient, wallet: o => o.Instances = 2);
        var users = new List<WalletClient>();
        for (var i = 0; i < 8; i++)
        {
            var user = await cluster.NewUserAsync(instance: i % 2);
            await cluster.BindAsync(user, cluster.Cardholder("healthy"));
            users.Add(user);
        }

        var statuses = new System.Collections.Concurrent.ConcurrentBag<string>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Payments)
            {
                var reply = await Cluster.PayAsync(users[i % users.Count], 100, $"burst-{i}", $"burst-{i}");
                statuses.Add(reply.Status == HttpStatusCode.Created ? "201" : reply.ToString());
            }
        }));

        Assert.Equal(Enumerable.Repeat("201", Payments), statuses);
        var stored = 0;
        foreach (var user in users)
        {
            var history = await user.GetAsync($"/users/{user.UserId}/transactions?limit=1000");
            stored += history.Json!["transactions"]!.AsArray().Count;
            user.Dispose();
        }

        Assert.Equal(Payments, stored);
        Assert.Equal(Payments, cluster.CallsPerNode("Capture").Values.Sum());
        Assert.Equal(0, cluster.Simulator.GetInvariants().DuplicateCharges);
    }

    [Fact]
    public async Task Restart_AfterARealPayment_ReplaysItWithoutCallingTheIssuerAgain()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient);
        using var user = await cluster.NewUserAsync();
        await cluster.BindAsync(user, cluster.Cardholder("healthy"));
        var paid = await Cluster.PayAsync(user, 700, "order-r", "key-r");
        Assert.Equal(HttpStatusCode.Created, paid.Status);

        await cluster.RestartWalletAsync(_ => { });
        using var again = cluster.Client();
        (again.Token, again.Currency) = (user.Token, user.Currency);
        var replay = await Cluster.PayAsync(again, 700, "order-r", "key-r");

        Assert.Equal((HttpStatusCode.OK, paid.Str("paymentId")), (replay.Status, replay.Str("paymentId")));
        Assert.Equal(1, cluster.CallsPerNode("Authorize").Values.Sum());
    }
}

using System.Net;
using PaySim.Wallet.Configuration;

namespace PaySim.Wallet.Tests.EndToEnd;

/// <summary>GET /users/{id}/transactions is the wallet's view in a reconciliation: every line carries what it is joined on.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class TransactionsViewTests
{
    [Fact]
    public async Task Each_payment_line_has_its_keys_card_authorization_and_refunds_and_each_refund_line_its_payment()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient);
        var client = await cluster.NewUserAsync();
        var cardId = await cluster.BindAsync(client, cluster.Cardholder("healthy"));
        var paid = await Cluster.PayAsync(client, 1_500, "order-v1", "pay-v1", cardId);
        var paymentId = paid.Str("paymentId")!;
        var refund = await client.PostAsync($"/payments/{paymentId}/refund", new { amount = 500 }, "refund-v1");
        Assert.Equal(HttpStatusCode.Created, refund.Status);

        var view = await client.GetAsync($"/users/{client.UserId}/transactions");

        var lines = view.Json!["transactions"]!.AsArray();
        var payment = lines.Single(l => l!["kind"]!.GetValue<string>() == "payment")!;
        var issuer = Assert.Single(cluster.Simulator.GetLedger("", 10).Entries);
        Assert.Equal(
            (paymentId, "pay-v1", "order-v1", cardId, 1_500L, "completed", issuer.AuthorizationId),
            (payment["paymentId"]!.GetValue<string>(), payment["idempotencyKey"]!.GetValue<string>(), payment["orderReference"]!.GetValue<string>(),
                payment["cardId"]!.GetValue<string>(), payment["amount"]!.GetValue<long>(), payment["status"]!.GetValue<string>(), payment["authorizationId"]!.GetValue<string>()));
        var nested = Assert.Single(payment["refunds"]!.AsArray())!;
        Assert.Equal((refund.Str("refundId"), "refund-v1", 500L, "completed"),
            (nested["refundId"]!.GetValue<string>(), nested["idempotencyKey"]!.GetValue<string>(), nested["amount"]!.GetValue<long>(), nested["status"]!.GetValue<string>()));
        var refundLine = lines.Single(l => l!["kind"]!.GetValue<string>() == "refund")!;
        Assert.Equal((refund.Str("refundId"), paymentId, "refund-v1", cardId, 500L),
            (refundLine["id"]!.GetValue<string>(), refundLine["paymentId"]!.GetValue<string>(), refundLine["idempotencyKey"]!.GetValue<string>(),
                refundLine["cardId"]!.GetValue<string>(), refundLine["amount"]!.GetValue<long>()));
        Assert.Null(refundLine["refunds"]);
    }
}

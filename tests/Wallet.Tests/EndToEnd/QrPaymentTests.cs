using System.Net;
using PaySim.Contracts.Qr;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.EndToEnd;

/// <summary>
/// POST /payments/qr against a real simulator: a code from GET /v1/merchants is paid to that merchant through the one
/// payment path (hold, capture, Idempotency-Key replay), and every bad code is a 400 naming the problem with no issuer call.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class QrPaymentTests
{
    [Theory]
    [InlineData(WalletMode.Resilient)]
    [InlineData(WalletMode.Naive)]
    public async Task PayByQr_StaticAndDynamicCodes_CaptureTheAmountForThatMerchantAtTheIssuer(WalletMode mode)
    {
        await using var cluster = await Cluster.StartAsync(mode);
        using var user = await cluster.NewUserAsync();
        var card = cluster.Simulator.ListCardholders(1000, "healthy").First(c => c.Currency == "CNY");
        var cardId = await cluster.BindAsync(user, card);
        var merchants = (await cluster.GetControlJsonAsync("/v1/merchants?count=2"))["merchants"]!.AsArray();
        var (staticQr, dynamicQr) = (merchants[0]!["qr"]!.GetValue<string>(), merchants[1]!["qr"]!.GetValue<string>());
        var dynamicAmount = merchants[1]!["amountMinor"]!.GetValue<long>();

        var paidStatic = await user.PostAsync("/payments/qr", new { qr = staticQr, cardId, pin = "246810", amount = 1234 }, "qr-key-1");
        var paidDynamic = await user.PostAsync("/payments/qr", new { qr = dynamicQr, pin = "246810" }, "qr-key-2");
        var replay = await user.PostAsync("/payments/qr", new { qr = dynamicQr, pin = "246810" }, "qr-key-2");

        Assert.True(paidStatic.Status == HttpStatusCode.Created, paidStatic.ToString());
        Assert.Equal(("completed", 1234L, "CNY", "m-qr-000000", cardId), (paidStatic.Str("status"), paidStatic.Long("amount"), paidStatic.Str("currency"), paidStatic.Str("merchant"), paidStatic.Str("cardId")));
        Assert.True(paidDynamic.Status == HttpStatusCode.Created, paidDynamic.ToString());
        Assert.Equal(("completed", dynamicAmount, "m-qr-000001"), (paidDynamic.Str("status"), paidDynamic.Long("amount"), paidDynamic.Str("merchant")));
        Assert.Equal((HttpStatusCode.OK, true, paidDynamic.Str("paymentId")), (replay.Status, replay.Replayed, replay.Str("paymentId")));

        var ledger = cluster.Simulator.GetLedger("", 100).Entries;
        Assert.Equal(2, ledger.Count);
        var atIssuer = ledger.ToDictionary(e => e.MerchantId);
        Assert.Equal((1234L, 1234L, "captured"), (atIssuer["m-qr-000000"].AuthorizedMinor, atIssuer["m-qr-000000"].CapturedMinor, atIssuer["m-qr-000000"].State));
        Assert.Equal((dynamicAmount, dynamicAmount, "captured"), (atIssuer["m-qr-000001"].AuthorizedMinor, atIssuer["m-qr-000001"].CapturedMinor, atIssuer["m-qr-000001"].State));
        Assert.Equal(paidStatic.Str("orderReference"), atIssuer["m-qr-000000"].OrderReference);
        var invariants = cluster.Simulator.GetInvariants();
        Assert.Equal((0, true, 1234 + dynamicAmount), (invariants.DuplicateCharges, invariants.MoneyConserved, invariants.CapturedMinor));
        Assert.Equal(2, cluster.CallsPerNode("Authorize").Values.Sum());
        Assert.Equal(2, cluster.CallsPerNode("Capture").Values.Sum());
    }

    [Fact]
    public async Task PayByQr_BadCodes_Are400NamingTheProblem_AndReachNoIssuer()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient);
        using var user = await cluster.NewUserAsync();
        await cluster.BindAsync(user, cluster.Simulator.ListCardholders(1000, "healthy").First(c => c.Currency == "CNY"));
        var staticQr = EmvQr.Build(new MerchantQr("m-shop", "Shop", "Xi'an", "156", null, null));
        var dynamicQr = EmvQr.Build(new MerchantQr("m-shop", "Shop", "Xi'an", "156", 1999, null));
        var usd = EmvQr.Build(new MerchantQr("m-shop", "Shop", "Xi'an", "978", 1999, null));

        var badCrc = await user.PostAsync("/payments/qr", new { qr = dynamicQr.Replace("19.99", "99.99", StringComparison.Ordinal), pin = "246810" }, "k1");
        var badTlv = await user.PostAsync("/payments/qr", new { qr = "00020101021126090012", pin = "246810" }, "k2");
        var noAmount = await user.PostAsync("/payments/qr", new { qr = staticQr, pin = "246810" }, "k3");
        var otherAmount = await user.PostAsync("/payments/qr", new { qr = dynamicQr, pin = "246810", amount = 5 }, "k4");
        var otherCurrency = await user.PostAsync("/payments/qr", new { qr = usd, pin = "246810" }, "k5");
        var noQr = await user.PostAsync("/payments/qr", new { pin = "246810", amount = 5 }, "k6");
        var tooMuch = await user.PostAsync("/payments/qr", new { qr = EmvQr.Build(new MerchantQr("m-shop", "Shop", "Xi'an", "156", 1_000_000_000_001, null)), pin = "246810" }, "k7");

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_qr"), (badCrc.Status, badCrc.ErrorCode));
        Assert.StartsWith("qr: bad CRC: tag 63 says " + dynamicQr[^4..], Message(badCrc), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_qr"), (badTlv.Status, badTlv.ErrorCode));
        Assert.StartsWith("qr: bad TLV at position 12: tag 26 says 9 characters but 4 remain", Message(badTlv), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "qr_amount_missing"), (noAmount.Status, noAmount.ErrorCode));
        Assert.StartsWith("amount: the QR carries no amount (tag 54)", Message(noAmount), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (otherAmount.Status, otherAmount.ErrorCode));
        Assert.Equal("amount 5 differs from the QR's amount 1999 (tag 54); leave amount out or send the same", Message(otherAmount));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_qr"), (otherCurrency.Status, otherCurrency.ErrorCode));
        Assert.Contains("'978' is not one this wallet pays; allowed: 156 (CNY), 840 (USD)", Message(otherCurrency), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_qr"), (noQr.Status, noQr.ErrorCode));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_qr"), (tooMuch.Status, tooMuch.ErrorCode));
        Assert.Equal("qr: tag 54 (amount) 10000000000.01 is more than the largest payment (10000000000.00)", Message(tooMuch));
        Assert.Equal(0, cluster.CallsPerNode("Authorize").Values.Sum());
        Assert.Empty(cluster.Simulator.GetLedger("", 100).Entries);
    }

    private static string Message(WalletClient.Reply reply) => reply.Json!["error"]!["message"]!.GetValue<string>();
}

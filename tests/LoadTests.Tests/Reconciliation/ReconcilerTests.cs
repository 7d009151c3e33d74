using System.Text.Json.Nodes;
using PaySim.LoadTests.Reconciliation;

namespace PaySim.LoadTests.Tests.Reconciliation;

/// <summary>The reconciler over hand-made views of the app, the wallet and the issuer: every figure, its money and its evidence.</summary>
public sealed class ReconcilerTests
{
    [Fact]
    public void Reconcile_OneCaptureAndOneCompletedRecordPerSucceededPayment_FindsNothing()
    {
        var views = new Views().Card(1).Card(2)
            .Pay(1, "k1", 500, 201).Row(1, 500, orderReference: "k1").Tx(1, "p-k1", "payment", "completed", 500, orderReference: "k1")
            .Pay(2, "k2", 700, 201).Row(2, 700, orderReference: "k2").Tx(2, "p-k2", "payment", "completed", 700, orderReference: "k2");

        var result = Reconciler.Reconcile(views.Build());

        Assert.All(result.Figures, f => Assert.Equal(0, f.Value));
        Assert.Equal(2, result.Cards);
    }

    [Fact]
    public void Reconcile_RetryWithAFreshIssuerKeyAndNoOrderReference_IsOneExcessChargeCaughtByAmountOnTheCard()
    {
        // The app saw one 2xx; the wallet authorized twice (the first reply was lost) and captured the second.
        var views = new Views().Card(1)
            .Pay(1, "k1", 1_234, 201)
            .Row(1, 1_234, captured: 0, issuerKey: "fresh-a")
            .Row(1, 1_234, issuerKey: "fresh-b")
            .Tx(1, "p-k1", "payment", "completed", 1_234);

        var result = Reconciler.Reconcile(views.Build());

        Assert.Equal(1, result.Figures["excessCharges"]);
        Assert.Equal(1_234, result.Figures["excessMinor"]);
        Assert.Equal(1, result.Figures["orphanHolds"]);
        Assert.Equal(0, result.Figures["lostPayments"]);
        var row = result.Evidence["excessCharges"].Single();
        Assert.Equal(2_468, row["takenMinor"]!.GetValue<long>());
        Assert.Equal(2, row["issuer"]!.AsArray().Count);
    }

    [Fact]
    public void Reconcile_TwoUsersPayingOneMerchantWithTheSameOrderReference_IsNotADuplicate()
    {
        var views = new Views().Card(1).Card(2)
            .Pay(1, "a", 300, 201, orderReference: "order-7").Row(1, 300, orderReference: "order-7").Tx(1, "p-a", "payment", "completed", 300, orderReference: "order-7")
            .Pay(2, "b", 300, 201, orderReference: "order-7").Row(2, 300, orderReference: "order-7").Tx(2, "p-b", "payment", "completed", 300, orderReference: "order-7");

        var result = Reconciler.Reconcile(views.Build());

        Assert.Equal(0, result.Figures["excessCharges"]);
        Assert.Equal(0, result.Figures["excessMinor"]);
    }

    [Fact]
    public void Reconcile_PaymentTheWalletDeclinedWhoseHoldStayed_IsExcessAndAnOrphanHold()
    {
        var views = new Views().Card(1).Pay(1, "k1", 900, 402).Row(1, 900, captured: 0, orderReference: "k1").Tx(1, "p-k1", "payment", "declined", 900, orderReference: "k1");

        var result = Reconciler.Reconcile(views.Build());

        Assert.Equal(1, result.Figures["excessCharges"]);
        Assert.Equal(900, result.Figures["excessMinor"]);
        Assert.Equal(1, result.Figures["orphanHolds"]);
        Assert.Equal(0, result.Figures["lostPayments"]);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(0)]
    public void Reconcile_PaymentWhoseOutcomeTheAppNeverLearned_MayBeChargedOnceButNotTwice(int status)
    {
        var once = new Views().Card(1).Pay(1, "k1", 400, status).Row(1, 400, orderReference: "k1").Tx(1, "p-k1", "payment", "completed", 400, orderReference: "k1");
        var twice = new Views().Card(1).Pay(1, "k1", 400, status).Row(1, 400, orderReference: "k1").Row(1, 400, orderReference: "k1").Tx(1, "p-k1", "payment", "completed", 400, orderReference: "k1");

        Assert.Equal(0, Reconciler.Reconcile(once.Build()).Figures["excessCharges"]);
        var result = Reconciler.Reconcile(twice.Build());
        Assert.Equal(1, result.Figures["excessCharges"]);
        Assert.Equal(400, result.Figures["excessMinor"]);
    }

    [Fact]
    public void Reconcile_IssuerRowNoAppPaymentExplains_IsExcessWithItsWholeAmount()
    {
        var views = new Views().Card(1).Pay(1, "k1", 100, 201).Row(1, 100, orderReference: "k1").Row(1, 555, issuerKey: "stray").Tx(1, "p-k1", "payment", "completed", 100, orderReference: "k1");

        var result = Reconciler.Reconcile(views.Build());

        Assert.Equal(1, result.Figures["excessCharges"]);
        Assert.Equal(555, result.Figures["excessMinor"]);
        Assert.Contains("no app payment", result.Evidence["excessCharges"].Single()["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Reconcile_SucceededPaymentTheIssuerNeverCapturedOrTheWalletNeverRecorded_IsLost()
    {
        var views = new Views().Card(1).Card(2)
            .Pay(1, "k1", 100, 201).Row(1, 100, captured: 0, released: 100, orderReference: "k1").Tx(1, "p-k1", "payment", "completed", 100, orderReference: "k1")
            .Pay(2, "k2", 200, 201).Row(2, 200, orderReference: "k2");

        var result = Reconciler.Reconcile(views.Build());

        Assert.Equal(2, result.Figures["lostPayments"]);
        var reasons = result.Evidence["lostPayments"].Select(r => r["reason"]!.GetValue<string>()).ToArray();
        Assert.Contains(reasons, r => r.Contains("the issuer has no capture", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("the wallet has no record", StringComparison.Ordinal));
        Assert.Equal(0, result.Figures["excessCharges"]);
    }

    [Fact]
    public void Reconcile_WalletPaymentsAndRefundsStillPending_AreStuck()
    {
        var views = new Views().Card(1)
            .Pay(1, "k1", 100, 0).Tx(1, "p-k1", "payment", "pending", 100, orderReference: "k1")
            .Pay(1, "k2", 200, 201).Row(1, 200, orderReference: "k2").Tx(1, "p-k2", "payment", "completed", 200, orderReference: "k2")
            .Tx(1, "r-1", "refund", "pending", 50, paymentId: "p-k2");

        var result = Reconciler.Reconcile(views.Build());

        Assert.Equal(2, result.Figures["stuckPending"]);
        Assert.Equal(["payment", "refund"], result.Evidence["stuckPending"].Select(r => r["kind"]!.GetValue<string>()).Order().ToArray());
    }

    [Fact]
    public void Reconcile_RefundsTheWalletReportsButTheIssuerNeverMadeAndTheReverse_AreMismatches()
    {
        var views = new Views().Card(1).Card(2)
            .Pay(1, "k1", 100, 201).Row(1, 100, orderReference: "k1").Tx(1, "p-k1", "payment", "completed", 100, orderReference: "k1")
            .AppRefund(1, "k1", 100, 201).Tx(1, "r-1", "refund", "completed", 100, paymentId: "p-k1")
            .Pay(2, "k2", 300, 201).Row(2, 300, refunded: 300, orderReference: "k2").Tx(2, "p-k2", "payment", "completed", 300, orderReference: "k2");

        var result = Reconciler.Reconcile(views.Build());

        Assert.Equal(2, result.Figures["refundMismatch"]);
        var rows = result.Evidence["refundMismatch"];
        Assert.Contains(rows, r => r["walletRefundedMinor"]!.GetValue<long>() == 100 && r["issuerRefundedMinor"]!.GetValue<long>() == 0);
        Assert.Contains(rows, r => r["walletRefundedMinor"]!.GetValue<long>() == 0 && r["issuerRefundedMinor"]!.GetValue<long>() == 300);
        // The app was told its refund went through while the issuer kept the money: that money is taken beyond what the app allows.
        Assert.Equal(100, result.Figures["excessMinor"]);
    }

    [Fact]
    public void Reconcile_WalletThatMadeTwoRecordsForOneKeyAndReversedOne_ReportsItsReversalAndTheDuplicate()
    {
        // ignore-idempotency-key after a crash: the first attempt's record was captured and reversed by the recovery pass
        // (its refund is on that record), the retry became a second record, captured once. Net: charged once.
        var views = new Views().Card(1)
            .Pay(1, "k1", 138, 0, atMs: 1_000)
            .Pay(1, "k1", 138, 201, atMs: 2_000)
            .Row(1, 138, refunded: 138, orderReference: "k1", issuerKey: "k1#a", atMs: 1_010)
            .Row(1, 138, orderReference: "k1", issuerKey: "k1#b", atMs: 2_010)
            .Tx(1, "w-a", "payment", "reversed", 138, orderReference: "k1", idempotencyKey: "k1#a")
            .Tx(1, "r-a", "refund", "completed", 138, paymentId: "w-a")
            .Tx(1, "p-k1", "payment", "completed", 138, orderReference: "k1", idempotencyKey: "k1#b");

        var result = Reconciler.Reconcile(views.Build());

        Assert.Equal(0, result.Figures["refundMismatch"]);
        Assert.Equal(0, result.Figures["excessCharges"]);
        Assert.Equal(0, result.Figures["lostPayments"]);
        Assert.Equal(1, result.Figures["duplicateWalletPayments"]);
        Assert.Equal(1, result.Metric("duplicate_wallet_payments"));
        var row = Assert.Single(result.Evidence["duplicateWalletPayments"]);
        Assert.Contains("the wallet has 2 payment records for one Idempotency-Key (2 app attempts)", row["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, row["wallet"]!.AsArray().Count);
    }

    [Fact]
    public void Reconcile_RecordsLinkedByTheKeyWithASuffix_AreTheSamePayment()
    {
        // No order reference in the wallet's history (a static QR code): the key alone, or with a suffix, links them.
        var views = new Views().Card(1)
            .Pay(1, "run1-qr-5", 90, 201)
            .Row(1, 90, issuerKey: "run1-qr-5#x")
            .Tx(1, "p-run1-qr-5", "payment", "completed", 90, idempotencyKey: "run1-qr-5#x")
            .Tx(1, "w-2", "payment", "completed", 90, idempotencyKey: "run1-qr-5#y")
            .Tx(1, "w-3", "payment", "completed", 90, idempotencyKey: "run1-qr-55");

        var result = Reconciler.Reconcile(views.Build());

        var row = Assert.Single(result.Evidence["duplicateWalletPayments"]);
        Assert.Equal(["p-run1-qr-5", "w-2"], row["wallet"]!.AsArray().Select(r => r!.GetValue<string>().Split(' ')[0]).ToArray());
    }

    [Fact]
    public void Reconcile_RefundOfAnotherRecordOfTheSameUser_IsNotCountedForThisPayment()
    {
        var views = new Views().Card(1)
            .Pay(1, "k1", 100, 201).Row(1, 100, orderReference: "k1").Tx(1, "p-k1", "payment", "completed", 100, orderReference: "k1")
            .Pay(1, "k2", 200, 201).Row(1, 200, refunded: 200, orderReference: "k2").Tx(1, "p-k2", "payment", "completed", 200, orderReference: "k2")
            .AppRefund(1, "k2", 200, 201).Tx(1, "r-2", "refund", "completed", 200, paymentId: "p-k2");

        var result = Reconciler.Reconcile(views.Build());

        Assert.Equal(0, result.Figures["refundMismatch"]);
        Assert.Equal(0, result.Figures["duplicateWalletPayments"]);
    }

    [Fact]
    public void Reconcile_RefundMadeEverywhere_LeavesNothing()
    {
        var views = new Views().Card(1)
            .Pay(1, "k1", 100, 201).Row(1, 100, refunded: 40, orderReference: "k1").Tx(1, "p-k1", "payment", "completed", 100, orderReference: "k1")
            .AppRefund(1, "k1", 40, 201).Tx(1, "r-1", "refund", "completed", 40, paymentId: "p-k1");

        var result = Reconciler.Reconcile(views.Build());

        Assert.All(result.Figures, f => Assert.Equal(0, f.Value));
    }

    [Fact]
    public void Reconcile_WithoutTheWalletView_LeavesTheFiguresThatNeedItWithoutValue()
    {
        var views = new Views { WalletReadable = false }.Card(1).Pay(1, "k1", 100, 201).Row(1, 100, captured: 0, orderReference: "k1");

        var result = Reconciler.Reconcile(views.Build());

        Assert.Null(result.Figures["lostPayments"]);
        Assert.Null(result.Figures["stuckPending"]);
        Assert.Null(result.Figures["refundMismatch"]);
        Assert.Null(result.Figures["duplicateWalletPayments"]);
        Assert.Null(result.Figures["toldFailedCharged"]);
        Assert.Equal(1, result.Figures["orphanHolds"]);
        Assert.Equal(0, result.Figures["excessCharges"]);
        Assert.Null(result.Metric("lost_payments"));
        Assert.Equal("wallet down", result.Views["wallet"]!["error"]!.GetValue<string>());
    }

    [Fact]
    public void Reconcile_WithoutTheIssuerView_LeavesTheFiguresThatNeedItWithoutValue()
    {
        var views = new Views { IssuerReadable = false }.Card(1).Pay(1, "k1", 100, 201).Tx(1, "p-k1", "payment", "pending", 100);

        var result = Reconciler.Reconcile(views.Build());

        Assert.Null(result.Figures["excessCharges"]);
        Assert.Null(result.Figures["excessMinor"]);
        Assert.Null(result.Figures["orphanHolds"]);
        Assert.Null(result.Figures["lostPayments"]);
        Assert.Equal(1, result.Figures["stuckPending"]);
    }

    [Fact]
    public void Reconcile_RowsOfCardsThisRunDidNotPayWith_AreNotItsBusiness()
    {
        var views = new Views().Card(1).Pay(1, "k1", 100, 201).Row(1, 100, orderReference: "k1").Row(9, 777, captured: 0).Tx(1, "p-k1", "payment", "completed", 100, orderReference: "k1");

        var result = Reconciler.Reconcile(views.Build());

        Assert.Equal(0, result.Figures["excessCharges"]);
        Assert.Equal(0, result.Figures["orphanHolds"]);
        Assert.Equal(1, result.Views["issuer"]!["entries"]!.GetValue<int>());
    }

    [Fact]
    public void Reconcile_TwentyFiveDoubleCharges_CountsAllAndKeepsTheFirstTwentyAsEvidence()
    {
        var views = new Views();
        for (var card = 1; card <= 25; card++)
        {
            views.Card(card).Pay(card, $"k{card}", 100 + card, 201).Row(card, 100 + card).Row(card, 100 + card).Tx(card, $"p-k{card}", "payment", "completed", 100 + card);
        }

        var json = Reconciler.Reconcile(views.Build()).ToJson();

        Assert.Equal(25, json["excessCharges"]!.GetValue<long>());
        Assert.Equal(Enumerable.Range(1, 25).Sum(c => 100L + c), json["excessMinor"]!.GetValue<long>());
        var evidence = json["evidence"]!["excessCharges"]!.AsArray();
        Assert.Equal(20, evidence.Count);
        Assert.Equal(evidence.Select(r => r!["card"]!.GetValue<string>()).Order(StringComparer.Ordinal), evidence.Select(r => r!["card"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("run1-payment-12", "run1-payment-12", true)]
    [InlineData("run1-payment-12:auth", "run1-payment-12", true)]
    [InlineData("run1-payment-123", "run1-payment-12", false)]
    [InlineData("w1-5f3a", "run1-payment-12", false)]
    public void IssuerKey_MatchesTheAppKeyAloneOrWithASuffixAfterASeparator(string issuerKey, string appKey, bool matches) =>
        Assert.Equal(matches, LedgerMatcher.KeyMatches(issuerKey, appKey));

    [Fact]
    public void Merge_OfShardsEachReconcilingItsOwnCards_IsExactlyTheWholeRunsReconciliation()
    {
        var views = new Views();
        for (var card = 1; card <= 30; card++)
        {
            views.Card(card).Pay(card, $"k{card}", 100 + card, card % 5 == 0 ? 502 : 201).Row(card, 100 + card, orderReference: $"k{card}");
            views.Tx(card, $"p-k{card}", "payment", card % 7 == 0 ? "pending" : "completed", 100 + card, orderReference: $"k{card}");
            if (card % 5 != 0)
            {
                views.Row(card, 100 + card, captured: 0);
            }
        }

        var whole = Reconciler.Reconcile(views.Build()).ToJson();
        var shards = Enumerable.Range(0, 3)
            .Select(i => Reconciler.Reconcile(views.Shard(Enumerable.Range(1, 30).Where(c => c % 3 == i).ToHashSet())).ToJson())
            .Select(json => ReconciliationResult.FromJson(JsonNode.Parse(json.ToJsonString())!.AsObject()))
            .ToArray();

        var merged = ReconciliationResult.Merge(shards).ToJson();

        Assert.True(whole["excessCharges"]!.GetValue<long>() > 20, whole.ToJsonString());
        foreach (var field in new[] { "excessCharges", "excessMinor", "lostPayments", "orphanHolds", "stuckPending", "refundMismatch", "toldFailedCharged", "duplicateWalletPayments", "cards" })
        {
            Assert.Equal(whole[field]!.GetValue<long>(), merged[field]!.GetValue<long>());
        }

        foreach (var field in ReconciliationResult.EvidenceFields)
        {
            Assert.Equal(whole["evidence"]![field]!.ToJsonString(), merged["evidence"]![field]!.ToJsonString());
        }

        // The counts the console's "reconciled:" line prints are the whole run's too (they were blank after a merge).
        Assert.Equal("30", merged["views"]!["app"]!["payments"]!.ToJsonString());
        Assert.Equal(whole["views"]!["wallet"]!["transactions"]!.ToJsonString(), merged["views"]!["wallet"]!["transactions"]!.ToJsonString());
        Assert.Equal(whole["views"]!["issuer"]!["entries"]!.ToJsonString(), merged["views"]!["issuer"]!["entries"]!.ToJsonString());
        Assert.True(merged["views"]!["wallet"]!["read"]!.GetValue<bool>());
    }

    [Fact]
    public void Merge_WhenOneShardCouldNotReadAView_HasNoValueForTheFiguresThatNeedIt()
    {
        var read = Reconciler.Reconcile(new Views().Card(1).Pay(1, "k1", 100, 201).Row(1, 100, orderReference: "k1").Tx(1, "p-k1", "payment", "completed", 100).Build());
        var blind = Reconciler.Reconcile(new Views { WalletReadable = false }.Card(2).Pay(2, "k2", 100, 201).Row(2, 100, orderReference: "k2").Build());

        var merged = ReconciliationResult.Merge([read, blind]);

        Assert.Null(merged.Figures["lostPayments"]);
        Assert.Null(merged.Figures["stuckPending"]);
        Assert.False(merged.Views["wallet"]!["read"]!.GetValue<bool>());
        Assert.Null(merged.Views["wallet"]!["transactions"]);
        Assert.Equal(0, merged.Figures["excessCharges"]);
        Assert.Equal(2, merged.Cards);
    }
}

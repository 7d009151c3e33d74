using PaySim.LoadTests.Reconciliation;

namespace PaySim.LoadTests.Tests.Reconciliation;

/// <summary>
/// A double tap (client.doubleTap) over hand-made views: the two requests are one payment; a wallet that honours the key
/// answers one of them 409 payment_in_progress (or the replay) and is clean; one that charges both is caught by the two
/// payment ids it answered, though its history lists one record.
/// </summary>
public sealed class DoubleTapReconciliationTests
{
    [Theory]
    [InlineData(409, "payment_in_progress")] // the second tap reached the wallet while the first was being processed
    [InlineData(200, null)] // it came after: the replay, the same payment id
    public void Reconcile_ADoubleTapTheWalletPaidOnce_IsOneSucceededPaymentAndNothingElse(int secondStatus, string? secondCode)
    {
        var views = new Views().Card(1)
            .Tap(1, "k1", 500, 201, atMs: 1_000, endMs: 1_060)
            .Tap(1, "k1", 500, secondStatus, code: secondCode, atMs: 1_000, endMs: 1_090)
            .Row(1, 500, orderReference: "k1")
            .Tx(1, "p-k1", "payment", "completed", 500, orderReference: "k1");

        var result = Reconciler.Reconcile(views.Build());

        Assert.All(result.Figures, f => Assert.Equal(0, f.Value));
        var payment = Assert.Single(LogicalPayment.From(views.Build().App));
        Assert.True(payment.Succeeded);
        Assert.Equal(["p-k1"], payment.PaymentIds);
    }

    [Fact]
    public void Reconcile_TheSecondTapWonAndTheFirstWasToldInProgress_IsStillOnePaidPayment()
    {
        var views = new Views().Card(1)
            .Tap(1, "k1", 500, 409, code: "payment_in_progress", atMs: 1_000, endMs: 1_010)
            .Tap(1, "k1", 500, 201, atMs: 1_000, endMs: 1_070)
            .Row(1, 500, orderReference: "k1")
            .Tx(1, "p-k1", "payment", "completed", 500, orderReference: "k1");

        var result = Reconciler.Reconcile(views.Build());

        Assert.All(result.Figures, f => Assert.Equal(0, f.Value));
    }

    [Fact]
    public void Reconcile_ADoubleTapTheWalletChargedTwiceListingOneRecord_IsADuplicateWalletPaymentAndAnExcessCharge()
    {
        // The naive wallet: both requests found no stored key, both authorized and captured; the history lists the first stored.
        var views = new Views().Card(1)
            .Tap(1, "k1", 700, 201, paymentId: "p-a", atMs: 1_000, endMs: 1_060)
            .Tap(1, "k1", 700, 201, paymentId: "p-b", atMs: 1_000, endMs: 1_065)
            .Row(1, 700, orderReference: "k1")
            .Row(1, 700, orderReference: "k1")
            .Tx(1, "p-a", "payment", "completed", 700, orderReference: "k1");

        var result = Reconciler.Reconcile(views.Build());

        Assert.Equal(1, result.Figures["duplicateWalletPayments"]);
        var row = Assert.Single(result.Evidence["duplicateWalletPayments"]);
        Assert.Contains("the wallet answered one Idempotency-Key with 2 payment ids (p-a, p-b; 2 app attempts) and lists 1 record(s)", row["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, result.Figures["excessCharges"]);
        Assert.Equal(700, result.Figures["excessMinor"]);
        Assert.Equal(0, result.Figures["lostPayments"]);
        Assert.Equal(0, result.Figures["toldFailedCharged"]);
    }

    [Fact]
    public void Reconcile_OneTapToldFailedAndTheOtherInProgressLater_IsToldFailed_TheInProgressIsNoLastWord()
    {
        // The wallet's own 504 to the first tap is what the app was told; the second tap's 409, though it ended later, says only "the other one is running".
        var views = new Views().Card(1)
            .Tap(1, "k1", 800, 504, code: "issuer_unavailable", atMs: 1_000, endMs: 1_050)
            .Tap(1, "k1", 800, 409, code: "payment_in_progress", atMs: 1_000, endMs: 1_080)
            .Row(1, 800, orderReference: "k1")
            .Tx(1, "w-1", "payment", "completed", 800, orderReference: "k1");

        var payment = Assert.Single(LogicalPayment.From(views.Build().App));
        Assert.Equal(504, payment.Last.Status);
        Assert.True(payment.ToldFailed);
        Assert.Equal(1, Reconciler.Reconcile(views.Build()).Figures["toldFailedCharged"]);
    }

    [Fact]
    public void Reconcile_ARetryWhoseLastAnswerIsInProgress_StaysUnknown_OnlyADoubleTapsInProgressIsSkipped()
    {
        var views = new Views().Card(1)
            .Pay(1, "k1", 800, 504, atMs: 1_000, code: "issuer_unavailable")
            .Pay(1, "k1", 800, 409, atMs: 2_000, code: "payment_in_progress")
            .Row(1, 800, orderReference: "k1")
            .Tx(1, "w-1", "payment", "completed", 800, orderReference: "k1");

        var payment = Assert.Single(LogicalPayment.From(views.Build().App));

        Assert.Equal(409, payment.Last.Status);
        Assert.False(payment.ToldFailed);
        Assert.True(payment.Unknown);
    }
}

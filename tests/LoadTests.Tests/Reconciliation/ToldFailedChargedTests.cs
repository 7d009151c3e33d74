using PaySim.LoadTests.Reconciliation;

namespace PaySim.LoadTests.Tests.Reconciliation;

/// <summary>
/// told_failed_charged over hand-made views: the wallet's own 502/503/504 as the app's last word while the money went
/// anyway, and every answer of a correct wallet that must not count (docs/plans.md, "Reconciliation").
/// </summary>
public sealed class ToldFailedChargedTests
{
    [Fact]
    public void Reconcile_WalletAnswered504ButRecordsThePaymentCompletedAndTheIssuerCaptured_IsToldFailedCharged()
    {
        var views = new Views().Card(1)
            .Pay(1, "k1", 800, 504, code: "issuer_unavailable")
            .Row(1, 800, orderReference: "k1")
            .Tx(1, "w-1", "payment", "completed", 800, orderReference: "k1");

        var result = Reconciler.Reconcile(views.Build());

        Assert.Equal(1, result.Figures["toldFailedCharged"]);
        Assert.Equal(1, result.Metric("told_failed_charged"));
        var row = Assert.Single(result.Evidence["toldFailedCharged"]);
        Assert.Contains("the wallet answered the app 504 issuer_unavailable, but records the payment completed (w-1) and the issuer kept 800 captured", row["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(800, row["capturedMinor"]!.GetValue<long>());
        Assert.Equal(504, row["appLastStatus"]!.GetValue<int>());
        Assert.Equal("issuer_unavailable", row["appLastCode"]!.GetValue<string>());
        Assert.Equal("w-1 completed amount 800 order k1 key -", Assert.Single(row["wallet"]!.AsArray())!.GetValue<string>());

        // One charge is still what excess_charges allows an outcome the app did not see succeed: only the new figure says it.
        Assert.Equal(0, result.Figures["excessCharges"]);
        Assert.Equal(0, result.Figures["lostPayments"]);
    }

    [Theory]
    [InlineData(502, "issuer_error")]
    [InlineData(503, "issuer_unavailable")]
    public void Reconcile_WalletAnsweredAFailureAndHasNoRecordWhileTheIssuerCaptured_IsToldFailedCharged(int status, string code)
    {
        // The naive wallet keeps no row of a failed payment: a Capture whose reply was lost leaves the money taken.
        var views = new Views().Card(1).Pay(1, "k1", 300, status, code: code).Row(1, 300, orderReference: "k1");

        var result = Reconciler.Reconcile(views.Build());

        Assert.Equal(1, result.Figures["toldFailedCharged"]);
        Assert.Contains("has no record of it, but the issuer captured 300", Assert.Single(result.Evidence["toldFailedCharged"])["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(504, "issuer_unavailable", "failed", 0)] // resilient: the capture went through, its reply did not; recovery reverses it after the stale window
    [InlineData(504, "issuer_unavailable", "pending", 0)]
    [InlineData(504, "issuer_unavailable", "reversed", 500)] // recovery reversed the capture
    [InlineData(503, "issuer_unavailable", "voided", -1)] // recovery voided the hold
    [InlineData(502, null, "completed", 0)] // a proxy's page: no wallet error code (http_502)
    [InlineData(504, "http_504", "completed", 0)]
    [InlineData(500, "internal_error", "completed", 0)] // an instance dying mid-request, or an unexpected error
    [InlineData(0, "timeout", "completed", 0)]
    [InlineData(0, "connection_failed", "completed", 0)]
    [InlineData(409, "payment_in_progress", "completed", 0)]
    public void Reconcile_AnswerThatIsNotTheWalletSayingFailedWhileItKeepsTheMoney_IsNotToldFailedCharged(int status, string? code, string walletStatus, long refunded)
    {
        var views = new Views().Card(1).Pay(1, "k1", 500, status, code: code)
            .Row(1, 500, captured: refunded < 0 ? 0 : 500, released: refunded < 0 ? 500 : 0, refunded: Math.Max(0, refunded), orderReference: "k1")
            .Tx(1, "w-1", "payment", walletStatus, 500, orderReference: "k1");

        var result = Reconciler.Reconcile(views.Build());

        Assert.Equal(0, result.Figures["toldFailedCharged"]);
        Assert.Empty(result.Evidence["toldFailedCharged"]);
    }

    [Fact]
    public void Reconcile_WalletAnswered504ThenTheAppsRetryGotTheCompletedPayment_IsNotToldFailedCharged()
    {
        var views = new Views().Card(1)
            .Pay(1, "k1", 700, 504, atMs: 1_000, code: "issuer_unavailable")
            .Pay(1, "k1", 700, 200, atMs: 2_000)
            .Row(1, 700, orderReference: "k1")
            .Tx(1, "p-k1", "payment", "completed", 700, orderReference: "k1");

        var result = Reconciler.Reconcile(views.Build());

        Assert.Equal(0, result.Figures["toldFailedCharged"]);
    }

    [Fact]
    public void Reconcile_TheAppsLastWordWasTheWallets504AfterATimeout_IsToldFailedCharged()
    {
        // The first attempt timed out; the retry resumed it and was answered 504, though the wallet went on to complete it.
        var views = new Views().Card(1)
            .Pay(1, "k1", 700, 0, atMs: 1_000)
            .Pay(1, "k1", 700, 504, atMs: 2_000, code: "issuer_unavailable")
            .Row(1, 700, orderReference: "k1")
            .Tx(1, "w-1", "payment", "completed", 700, orderReference: "k1");

        Assert.Equal(1, Reconciler.Reconcile(views.Build()).Figures["toldFailedCharged"]);
    }

    [Fact]
    public void Reconcile_WalletAnsweredAFailureAndHasNoRecordWhileTheIssuerOnlyHolds_IsAnOrphanHoldNotToldFailedCharged()
    {
        var views = new Views().Card(1).Pay(1, "k1", 300, 503, code: "issuer_unavailable").Row(1, 300, captured: 0, orderReference: "k1");

        var result = Reconciler.Reconcile(views.Build());

        Assert.Equal(0, result.Figures["toldFailedCharged"]);
        Assert.Equal(1, result.Figures["orphanHolds"]);
    }

    [Fact]
    public void Reconcile_WithoutTheWalletOrTheIssuerView_HasNoValue()
    {
        var noWallet = new Views { WalletReadable = false }.Card(1).Pay(1, "k1", 300, 504, code: "issuer_unavailable").Row(1, 300, orderReference: "k1");
        var noIssuer = new Views { IssuerReadable = false }.Card(1).Pay(1, "k1", 300, 504, code: "issuer_unavailable").Tx(1, "w-1", "payment", "completed", 300, orderReference: "k1");

        Assert.Null(Reconciler.Reconcile(noWallet.Build()).Figures["toldFailedCharged"]);
        Assert.Null(Reconciler.Reconcile(noIssuer.Build()).Figures["toldFailedCharged"]);
    }

    [Theory]
    [InlineData(502, "issuer_error", true)]
    [InlineData(503, "issuer_unavailable", true)]
    [InlineData(504, "issuer_unavailable", true)]
    [InlineData(502, "http_502", false)]
    [InlineData(502, null, false)]
    [InlineData(500, "internal_error", false)]
    [InlineData(501, "resend_not_supported", false)]
    [InlineData(409, "payment_in_progress", false)]
    [InlineData(0, "timeout", false)]
    public void AppCall_WalletSaidFailed_OnlyForTheWalletsOwn502To504(int status, string? code, bool said)
    {
        var call = new AppCall(false, "u1", "6222", "k1", "k1", "shop", 100, null, AppCall.Classify(status, code), status, code, "wallet-1", 0, 1);

        Assert.Equal(said, call.WalletSaidFailed);
    }
}

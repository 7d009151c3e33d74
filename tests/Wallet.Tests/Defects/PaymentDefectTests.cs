using System.Net;
using PaySim.Wallet.Defects;
using PaySim.Wallet.Storage;
using PaySim.Wallet.Tests.EndToEnd;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.Defects;

/// <summary>The defects planted in src/Wallet/Payments/PaymentService.cs, each on a real simulator, with and without it.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class PaymentDefectTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IgnoreIdempotencyKey_TheSameKeyTwice_ChargesTwice(bool planted)
    {
        await using var cluster = await DefectClusters.StartAsync(planted ? WalletDefects.IgnoreIdempotencyKey : null);
        using var user = await DefectClusters.BoundUserAsync(cluster);
        var before = cluster.Simulator.GetInvariants();

        var first = await Cluster.PayAsync(user, 500, "iik-1", "iik-1");
        var second = await Cluster.PayAsync(user, 500, "iik-1", "iik-1");

        Assert.Equal(HttpStatusCode.Created, first.Status);
        var captured = cluster.Simulator.GetInvariants().CapturedMinor - before.CapturedMinor;
        if (planted)
        {
            Assert.Equal(HttpStatusCode.Created, second.Status);
            Assert.False(second.Replayed);
            Assert.NotEqual(first.Str("paymentId"), second.Str("paymentId"));
            Assert.Equal(1000, captured);
            Assert.Equal(2, cluster.CallsPerNode("Authorize").Total());
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, second.Status);
            Assert.True(second.Replayed);
            Assert.Equal(first.Str("paymentId"), second.Str("paymentId"));
            Assert.Equal(500, captured);
            Assert.Equal(1, cluster.CallsPerNode("Authorize").Total());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SwallowErrors_AuthorizeFails_AnswersCreatedWithoutMovingMoney(bool planted)
    {
        await using var cluster = await DefectClusters.StartAsync(planted ? WalletDefects.SwallowErrors : null);
        using var user = await DefectClusters.BoundUserAsync(cluster);
        var before = cluster.Simulator.GetInvariants();
        await DefectClusters.ApplyAsync(cluster, new { name = "auth-unavailable", node = "*", method = "Authorize", error = new { grpcStatus = "UNAVAILABLE" } });

        var reply = await Cluster.PayAsync(user, 300, "sw-1", "sw-1");

        var after = cluster.Simulator.GetInvariants();
        Assert.Equal(0, after.CapturedMinor - before.CapturedMinor);
        Assert.Equal(0, after.HeldMinor - before.HeldMinor);
        if (planted)
        {
            Assert.Equal(HttpStatusCode.Created, reply.Status);
            Assert.Equal("completed", reply.Str("status"));
            var stored = await user.GetAsync($"/payments/{reply.Str("paymentId")}");
            Assert.Equal("completed", stored.Str("status"));
        }
        else
        {
            Assert.Equal("503 issuer_unavailable", reply.Outcome());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MisreadApproval_AnApprovedPayment_IsAnswered402(bool planted)
    {
        await using var cluster = await DefectClusters.StartAsync(planted ? WalletDefects.MisreadApproval : null);
        using var user = await DefectClusters.BoundUserAsync(cluster);
        var before = cluster.Simulator.GetInvariants();

        var reply = await Cluster.PayAsync(user, 400, "ma-1", "ma-1");

        var after = cluster.Simulator.GetInvariants();
        Assert.Equal(1, cluster.CallsPerNode("Authorize").Total());
        if (planted)
        {
            Assert.Equal("402 declined", reply.Outcome());
            Assert.Equal(0, cluster.CallsPerNode("Capture").Total());
            // The issuer approved: the hold stays, never captured.
            Assert.Equal(400, after.HeldMinor - before.HeldMinor);
            Assert.Equal(0, after.CapturedMinor - before.CapturedMinor);
        }
        else
        {
            Assert.Equal("201", reply.Outcome());
            Assert.Equal(400, after.CapturedMinor - before.CapturedMinor);
            Assert.Equal(0, after.HeldMinor - before.HeldMinor);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LateCaptureFails_ACaptureWhoseReplyTakesOverASecond_IsAnswered504ThoughTheCardIsCharged(bool planted)
    {
        await using var cluster = await DefectClusters.StartAsync(planted ? WalletDefects.LateCaptureFails : null);
        using var user = await DefectClusters.BoundUserAsync(cluster);
        var store = new PaymentStore(new WalletDatabase(cluster.DatabasePath));
        var before = cluster.Simulator.GetInvariants();
        // The issuer captures at once and its reply waits 1.5 s: past the defect's 1 s, inside the 2 s attempt timeout.
        await DefectClusters.ApplyAsync(cluster, new { name = "slow-capture-reply", node = "*", method = "Capture", slowReply = "1500ms" });

        var reply = await Cluster.PayAsync(user, 300, "lc-1", "lc-1");

        var after = cluster.Simulator.GetInvariants();
        Assert.Equal(300, after.CapturedMinor - before.CapturedMinor);
        Assert.Equal(0, after.HeldMinor - before.HeldMinor);
        Assert.Equal(1, cluster.CallsPerNode("Capture").Total());
        var stored = await store.FindByKeyAsync(user.UserId!, "lc-1", CancellationToken.None);
        Assert.Equal(PaymentStatus.Completed, stored!.Status);
        Assert.Equal(planted ? "504 issuer_unavailable" : "201", reply.Outcome());

        // A retry with the same key is answered the completed payment either way: only an app that retries learns the truth.
        await cluster.ClearFaultsAsync();
        var retry = await Cluster.PayAsync(user, 300, "lc-1", "lc-1");
        Assert.Equal("200", retry.Outcome());
        Assert.True(retry.Replayed);
        Assert.Equal(stored.Id, retry.Str("paymentId"));
        Assert.Equal(1, cluster.CallsPerNode("Capture").Total());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CrashUnsafe_WhileAuthorizeIsInFlight_NothingIsRecorded(bool planted)
    {
        await using var cluster = await DefectClusters.StartAsync(planted ? WalletDefects.CrashUnsafe : null, o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(20);
            o.CallTimeout = TimeSpan.FromSeconds(30);
        });
        using var user = await DefectClusters.BoundUserAsync(cluster);
        await DefectClusters.ApplyAsync(cluster, new { name = "hung-auth", node = "*", method = "Authorize", hang = new { max = "60s" } });
        using var impatient = new WalletClient(cluster.Wallet.Instances[0].Uri, TimeSpan.FromSeconds(30)) { Token = user.Token, Currency = user.Currency };
        var store = new PaymentStore(new WalletDatabase(cluster.DatabasePath));

        // A process killed now: Authorize is at the issuer, and this is what the database holds.
        var inFlight = Cluster.PayAsync(impatient, 200, "cu-1", "cu-1");
        var seen = await Eventually.ReturnsAsync(() => Task.FromResult(cluster.CallsPerNode("Authorize").Total()), n => n >= 1, TimeSpan.FromSeconds(10));
        Assert.Equal(1, seen);
        var row = await store.FindByKeyAsync(user.UserId!, "cu-1", CancellationToken.None);

        if (planted)
        {
            Assert.Null(row);
        }
        else
        {
            Assert.NotNull(row);
            Assert.Equal(PaymentStatus.Pending, row.Status);
        }

        await cluster.ClearFaultsAsync();
        impatient.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => inFlight);
    }
}

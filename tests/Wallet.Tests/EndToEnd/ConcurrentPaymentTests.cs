using System.Net;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.EndToEnd;

/// <summary>
/// Twenty POST /payments at once with one Idempotency-Key and one body (a double-tapping app, a client retrying on a
/// short timeout). Naive mode checks the key and then acts, so the card is charged more than once (its documented
/// flaw), and each request that called the issuer says so (201, no Idempotent-Replayed); resilient mode reserves the key
/// first: one Authorize, the others 409 payment_in_progress (or the replay once it completed).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ConcurrentPaymentTests
{
    private const int Requests = 20;

    [Fact]
    public async Task SameKeyAtOnce_Naive_ChargesMoreThanOnce_AndNoReplyClaimsAReplayItIsNot()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Naive);
        using var client = await cluster.NewUserAsync();
        await cluster.BindAsync(client, cluster.Cardholder("healthy"));

        var replies = await PayAtOnceAsync(client);
        var authorizations = cluster.CallsPerNode("Authorize").Values.Sum();

        Assert.True(authorizations > 1, $"naive mode's check-then-act race: {authorizations} Authorize calls; replies {string.Join(", ", replies)}");
        Assert.Equal(authorizations, cluster.Simulator.GetLedger("", 100).Entries.Count);
        // A request that called the issuer answers 201 for its own charge; only a request that called nothing is a replay.
        Assert.Equal(authorizations, replies.Count(r => !r.Replayed));
        Assert.All(replies.Where(r => r.Replayed), r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(authorizations, replies.Count(r => r.Status == HttpStatusCode.Created));
    }

    [Fact]
    public async Task SameKeyAtOnce_Resilient_AuthorizesOnce_TheOthersAre409InProgressOrTheReplay()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient);
        using var client = await cluster.NewUserAsync();
        await cluster.BindAsync(client, cluster.Cardholder("healthy"));

        var replies = await PayAtOnceAsync(client);

        Assert.Equal(1, cluster.CallsPerNode("Authorize").Values.Sum());
        Assert.Single(cluster.Simulator.GetLedger("", 100).Entries);
        var created = Assert.Single(replies, r => r.Status == HttpStatusCode.Created);
        var inProgress = replies.Where(r => r.Status == HttpStatusCode.Conflict).ToArray();
        Assert.NotEmpty(inProgress);
        Assert.All(inProgress, r => Assert.Equal("payment_in_progress", r.ErrorCode));
        Assert.All(replies.Where(r => r.Status == HttpStatusCode.OK), r =>
        {
            Assert.True(r.Replayed);
            Assert.Equal(created.Str("paymentId"), r.Str("paymentId"));
        });
        Assert.Equal(Requests, 1 + inProgress.Length + replies.Count(r => r.Status == HttpStatusCode.OK));
    }

    private static async Task<WalletClient.Reply[]> PayAtOnceAsync(WalletClient client)
    {
        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, Requests).Select(async _ =>
        {
            await start.WaitAsync();
            return await Cluster.PayAsync(client, 100, "order-race", "key-race");
        }).ToArray();
        start.Release(Requests);
        return await Task.WhenAll(requests);
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Grpc.Net.Client;
using Microsoft.Extensions.Time.Testing;
using PaySim.Contracts.Control.V1;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Issuer;
using PaySim.Simulator.Tests.State;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Issuer;

/// <summary>
/// A declined order sent again under a new idempotency key is a reattempt (<c>declined_reattempts</c>); the same key
/// replayed, another order, another merchant or card, and an order that was approved are not.
/// </summary>
public sealed class DeclinedReattemptTests
{
    [Fact]
    public void ADeclinedOrder_SentAgainUnderANewKeyOrNone_Counts_ItsOwnKeyReplayed_AndOtherOrders_DoNot()
    {
        var (issuer, card, token) = Bound(Persona.Healthy);
        var tooMuch = card.BalanceMinor + 1;

        Assert.Equal("51", issuer.Engine.Authorize(token, tooMuch, card.Currency, "m", "o-1", "k-1").Code);
        Assert.Equal("51", issuer.Engine.Authorize(token, tooMuch, card.Currency, "m", "o-1", "k-1").Code);
        Assert.Equal(0, issuer.Engine.Declined.Reattempts);

        Assert.Equal("51", issuer.Engine.Authorize(token, tooMuch, card.Currency, "m", "o-1", "k-2").Code);
        Assert.Equal(1, issuer.Engine.Declined.Reattempts);

        // k-2 is now a declined call of o-1 too: its replay is not a new attempt; no key always is one.
        issuer.Engine.Authorize(token, tooMuch, card.Currency, "m", "o-1", "k-2");
        issuer.Engine.Authorize(token, tooMuch, card.Currency, "m", "o-1", "");
        Assert.Equal(2, issuer.Engine.Declined.Reattempts);

        // Another order, the same order reference at another merchant, and an approved order paid again are not reattempts.
        Assert.Equal("00", issuer.Engine.Authorize(token, 100, card.Currency, "m", "o-2", "k-3").Code);
        Assert.Equal("00", issuer.Engine.Authorize(token, 100, card.Currency, "other-shop", "o-1", "k-4").Code);
        issuer.Engine.Authorize(token, 100, card.Currency, "m", "o-2", "k-5");
        Assert.Equal(2, issuer.Engine.Declined.Reattempts);
    }

    [Fact]
    public void AReattemptThatIsApproved_StillCounts_AndCallsWithoutAnOrderReference_AreNotMatched()
    {
        var (issuer, card, token) = Bound(Persona.Healthy);
        issuer.Engine.Risk.Apply("""{"velocity": {"count": 1, "window": "1m"}}""");
        Assert.Equal("00", issuer.Engine.Authorize(token, 100, card.Currency, "m", "o-1", "k-1").Code);
        Assert.Equal("65", issuer.Engine.Authorize(token, 100, card.Currency, "m", "o-2", "k-2").Code);
        Assert.Equal("65", issuer.Engine.Authorize(token, 100, card.Currency, "m", "", "k-3").Code);
        Assert.Equal("65", issuer.Engine.Authorize(token, 100, card.Currency, "m", "", "k-4").Code);
        Assert.Equal(0, issuer.Engine.Declined.Reattempts);

        issuer.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("00", issuer.Engine.Authorize(token, 100, card.Currency, "m", "o-2", "k-5").Code);

        Assert.Equal(1, issuer.Engine.Declined.Reattempts);
    }

    [Fact]
    public void TheOldestDeclinedOrders_AreForgottenBeyondTheCapacity_AndClearStartsAgain()
    {
        var orders = new DeclinedOrders(capacity: 2);
        orders.Observe("card", "m", "o-1", "k", "51");
        orders.Observe("card", "m", "o-2", "k", "51");
        orders.Observe("card", "m", "o-3", "k", "51");
        Assert.Equal(2, orders.Tracked);

        orders.Observe("card", "m", "o-1", "k-new", "51");
        Assert.Equal(0, orders.Reattempts);
        orders.Observe("card", "m", "o-3", "k-new", "00");
        Assert.Equal(1, orders.Reattempts);

        orders.Clear();
        Assert.Equal((0L, 0), (orders.Reattempts, orders.Tracked));
        orders.Observe("card", "m", "o-3", "k-newer", "00");
        Assert.Equal(0, orders.Reattempts);
    }

    [Fact]
    public void AChallenge_IsNotADecline_AndOnlyKeysPerOrderKeysOfOneOrderAreRemembered()
    {
        var orders = new DeclinedOrders();
        orders.Observe("card", "m", "o-1", "k-0", "1A");
        orders.Observe("card", "m", "o-1", "k-1", "00");
        Assert.Equal((0L, 0), (orders.Reattempts, orders.Tracked));

        // 94, a key reused for another request, refuses the request without judging the order: not a decline either.
        orders.Observe("card", "m", "o-1", "k-1", "94");
        orders.Observe("card", "m", "o-1", "k-2", "00");
        Assert.Equal((0L, 0), (orders.Reattempts, orders.Tracked));

        for (var i = 0; i <= DeclinedOrders.KeysPerOrder; i++)
        {
            orders.Observe("card", "m", "o-2", $"k-{i}", "05");
        }

        Assert.Equal(DeclinedOrders.KeysPerOrder, orders.Reattempts);
        orders.Observe("card", "m", "o-2", "k-0", "05");
        orders.Observe("card", "m", "o-2", $"k-{DeclinedOrders.KeysPerOrder}", "05");
        Assert.Equal(DeclinedOrders.KeysPerOrder + 1, orders.Reattempts);
    }

    [Fact]
    public async Task TheCount_IsInTheInvariantsOverHttpAndGrpc_AndInMetrics_AcrossNodes_AndAResetClearsIt()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = TestSimulator.EphemeralOptions(nodes: 2, cardholders: 50);
        options.TimeProvider = time;
        await using var sim = await TestSimulator.StartAsync(options);
        using (var put = await sim.Http.PutAsync("/v1/risk", new StringContent("""{"velocity": {"count": 1, "window": "1m"}}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var token = await sim.BindAsync(sim.Host.ListCardholders(1, "healthy")[0]);
        Assert.Equal("00", (await Pay(sim, 0, token, "o-1", "k-1")).ResponseCode);
        Assert.Equal("65", (await Pay(sim, 0, token, "o-2", "k-2")).ResponseCode);
        Assert.Equal("65", (await Pay(sim, 1, token, "o-2", "k-2")).ResponseCode);
        Assert.Equal("65", (await Pay(sim, 1, token, "o-2", "k-3")).ResponseCode);

        using (var inv = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/invariants")))
        {
            Assert.Equal(1, inv.RootElement.GetProperty("declinedReattempts").GetInt64());
        }

        using var channel = GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        Assert.Equal(1, (await new PaySim.Contracts.Control.V1.Control.ControlClient(channel).GetInvariantsAsync(new GetInvariantsRequest())).DeclinedReattempts);
        Assert.Contains("\npaysim_declined_reattempts 1\n", await sim.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await sim.Http.PostAsync("/v1/reset", null)).StatusCode);
        Assert.Equal(0, sim.Host.GetInvariants().DeclinedReattempts);
    }

    private static (TestIssuer Issuer, CardholderRecord Card, string Token) Bound(Persona persona)
    {
        var issuer = new TestIssuer();
        var card = issuer.First(persona);
        return (issuer, card, issuer.Bind(card));
    }

    private static async Task<AuthorizeReply> Pay(TestSimulator sim, int node, string token, string order, string key) =>
        await sim.Issuers[node].AuthorizeAsync(new AuthorizeRequest { CardToken = token, AmountMinor = 100, MerchantId = "shop-1", OrderReference = order, IdempotencyKey = key });
}

/// <summary>On Redis state the one-trip hold path is watched too (a decline decided inside Redis).</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisDeclinedReattemptTests(RedisServerFixture redis)
{
    [ToolFact(ExternalTools.RedisServer)]
    public void ADeclineDecidedInRedis_ThenANewKey_Counts_AndTheReplayDoesNot()
    {
        using var issuer = new RedisTestIssuer(redis, RedisTestIssuer.NewCluster(), RedisTestIssuer.NewClock(), 1);
        var card = issuer.Registry.All.First(c => c.Persona == Persona.Healthy);
        var token = RedisTestIssuer.Bind(issuer, issuer, card);

        Assert.Equal("51", issuer.Engine.Authorize(token, card.BalanceMinor + 1, card.Currency, "m", "o-1", "k-1").Code);
        Assert.Equal("51", issuer.Engine.Authorize(token, card.BalanceMinor + 1, card.Currency, "m", "o-1", "k-1").Code);
        Assert.Equal(0, issuer.Engine.Declined.Reattempts);
        Assert.Equal("00", issuer.Engine.Authorize(token, 100, card.Currency, "m", "o-1", "k-2").Code);
        Assert.Equal(1, issuer.Engine.Declined.Reattempts);
    }

    [ToolFact(ExternalTools.RedisServer)]
    public async Task ADeclineOnTheGrpcPath_IsRecordedBeforeItsReply_WithoutHoldingTheCallersThread()
    {
        var cluster = RedisTestIssuer.NewCluster();
        using var issuer = new RedisTestIssuer(redis, cluster, RedisTestIssuer.NewClock(), 1);
        var card = issuer.Healthy();
        var token = RedisTestIssuer.Bind(issuer, issuer, card);
        var server = redis.Connection!.GetServers()[0];

        // Redis takes no writes for 1 s (reads still answer): an amount of 0 is declined before any hold, from reads
        // only, and then its record (a script, a write) waits for Redis.
        using (var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Endpoint + ",allowAdmin=true"))
        {
            await admin.GetServers()[0].ExecuteAsync("CLIENT", "PAUSE", "1000", "WRITE");
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var reply = issuer.Engine.AuthorizeAsync(token, 0, card.Currency, "m", "o-1", "");
        var returnedAfter = clock.Elapsed;

        // The call handed back a task at once instead of blocking its thread for the round trip ...
        Assert.False(reply.IsCompleted, "the decline's record blocked the calling thread");
        Assert.True(returnedAfter < TimeSpan.FromMilliseconds(500), $"returned after {returnedAfter.TotalMilliseconds:0} ms");

        // ... and the reply comes once the order is recorded, where the next attempt, on any process, looks for it.
        Assert.Equal("13", (await reply).Code);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(600), $"replied after {clock.Elapsed.TotalMilliseconds:0} ms, before Redis took the record");
        Assert.Single(server.Keys(pattern: $"paysim:{{{cluster}}}:decl:*"));
    }

    [ToolFact(ExternalTools.RedisServer)]
    public async Task AnOrderDeclinedByOneProcess_ReattemptedThroughAnother_CountsInTheCluster_AndAResetOnEitherClearsIt()
    {
        var cluster = RedisTestIssuer.NewCluster();
        await using var a = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-a"));
        await using var b = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-b"));
        var card = a.Host.ListCardholders(1, "healthy")[0];
        var token = await a.BindAsync(card);
        var tooMuch = card.BalanceMinor + 1;

        // Declined by A; the same order under a new key reaches B, which declines it too: one reattempt, seen by both.
        Assert.Equal("51", (await Pay(a, token, tooMuch, "o-1", "k-1")).ResponseCode);
        Assert.Equal("51", (await Pay(b, token, tooMuch, "o-1", "k-1")).ResponseCode);
        Assert.Equal(0, b.Host.GetInvariants().DeclinedReattempts);
        Assert.Equal("51", (await Pay(b, token, tooMuch, "o-1", "k-2")).ResponseCode);
        Assert.Equal(1, a.Host.GetInvariants().DeclinedReattempts);

        // Approved on B under a third key: still a reattempt (B matches its answers since A declined; counted without
        // waiting on the reply, so read it back until it lands).
        Assert.Equal("00", (await Pay(b, token, 100, "o-1", "k-3")).ResponseCode);
        Assert.Equal(2, await EventuallyAsync(() => a.Host.GetInvariants().DeclinedReattempts, 2));

        // A process that joins later learns that the cluster has declines and matches its answers too.
        await using var c = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-c"));
        Assert.Equal("00", (await Pay(c, token, 100, "o-1", "k-4")).ResponseCode);
        Assert.Equal("00", (await Pay(c, token, 100, "o-2", "k-5")).ResponseCode);
        Assert.Equal(3, await EventuallyAsync(() => b.Host.GetInvariants().DeclinedReattempts, 3));
        Assert.Contains("\npaysim_declined_reattempts 3\n", await c.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);

        // A reset on B forgets every declined order and the count, for the whole cluster.
        var server = redis.Connection!.GetServers()[0];
        Assert.Single(server.Keys(pattern: $"paysim:{{{cluster}}}:decl:*"));
        b.Host.Reset();
        Assert.Equal(0, a.Host.GetInvariants().DeclinedReattempts);
        Assert.Empty(server.Keys(pattern: $"paysim:{{{cluster}}}:decl:*"));
        Assert.Empty(server.Keys(pattern: $"paysim:{{{cluster}}}:cnt:*"));
        token = await a.BindAsync(card);
        Assert.Equal("00", (await Pay(a, token, 100, "o-1", "k-6")).ResponseCode);
        Assert.Equal("00", (await Pay(c, token, 100, "o-1", "k-7")).ResponseCode);
        Assert.Equal(0, c.Host.GetInvariants().DeclinedReattempts);
    }

    private static async Task<AuthorizeReply> Pay(TestSimulator sim, string token, long amount, string order, string key) =>
        await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = token, AmountMinor = amount, MerchantId = "shop-1", OrderReference = order, IdempotencyKey = key });

    /// <summary>Reads <paramref name="read"/> until it gives <paramref name="expected"/> (at most 5 s), and returns the last value.</summary>
    private static async Task<long> EventuallyAsync(Func<long> read, long expected)
    {
        var value = read();
        for (var i = 0; i < 100 && value != expected; i++)
        {
            await Task.Delay(50);
            value = read();
        }

        return value;
    }
}

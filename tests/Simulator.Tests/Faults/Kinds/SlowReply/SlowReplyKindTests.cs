using System.Diagnostics;
using System.Net;
using System.Text;
using Grpc.Core;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Faults.Kinds.SlowReply;

/// <summary>
/// "slowReply": the handler runs at once and only the reply waits, so a caller whose deadline is shorter has money
/// held that it was never told of (what "latency", which waits before the handler, cannot show).
/// </summary>
public sealed class SlowReplyKindTests
{
    [Fact]
    public async Task SlowReply_ADeadlineShorterThanTheWait_SeesDeadlineExceeded_ButTheMoneyIsHeld()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 2, cardholders: 20));
        var card = sim.Host.ListCardholders(1, "healthy").Single();
        var token = await sim.BindAsync(card);
        await PostFaultsAsync(sim, """{ "name": "slow-wire", "node": "issuer-1", "method": "Authorize", "slowReply": "5s" }""");
        var request = new AuthorizeRequest { CardToken = token, AmountMinor = 2_500, Currency = card.Currency, MerchantId = "m-1", OrderReference = "o-1", IdempotencyKey = "pay-1" };

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await sim.Issuers[0].AuthorizeAsync(request, deadline: DateTime.UtcNow.AddMilliseconds(300)));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal(2_500, sim.Host.GetInvariants().HeldMinor);
        // The retry with the same key on the other node replays the hold: nothing is held twice.
        var retry = await sim.Issuers[1].AuthorizeAsync(request);
        Assert.Equal("00", retry.ResponseCode);
        Assert.Equal(2_500, sim.Host.GetInvariants().HeldMinor);
        var authorize = sim.Host.GetStats().Nodes.Single(n => n.Name == "issuer-1").Methods.Single(m => m.Method == "Authorize");
        Assert.Equal(1, authorize.Faults["slowReply"]);
    }

    [Fact]
    public async Task SlowReply_APatientCaller_GetsTheReplyAfterTheWait()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20));
        var card = sim.Host.ListCardholders(1, "healthy").Single();
        var token = await sim.BindAsync(card);
        await PostFaultsAsync(sim, """{ "name": "slow-wire", "method": "Authorize", "slowReply": "400ms" }""");

        var clock = Stopwatch.StartNew();
        var reply = await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = token, AmountMinor = 100, Currency = card.Currency, MerchantId = "m-1", OrderReference = "o-2", IdempotencyKey = "pay-2" });

        Assert.Equal("00", reply.ResponseCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(390), $"the reply came after {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task SlowReply_ABadDuration_IsRefusedNamingTheField()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));

        using var response = await sim.Http.PostAsync("/v1/faults", new StringContent("""{ "name": "x", "slowReply": "soon" }""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("slowReply", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task PostFaultsAsync(TestSimulator sim, string json)
    {
        using var response = await sim.Http.PostAsync("/v1/faults", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

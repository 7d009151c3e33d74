using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.State;

/// <summary>Risk rules, their windows and payment challenges on Redis state: two hosts act as one issuer.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisRiskAndStepUpTests(RedisServerFixture redis)
{
    [ToolFact(ExternalTools.RedisServer)]
    public async Task RulesSetOnOneHost_ApplyOnTheOther_TheVelocityWindowIsShared_AndAChallengeOpenedOnACompletesOnB()
    {
        var cluster = RedisTestIssuer.NewCluster();
        await using var a = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-a"));
        await using var b = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-b"));
        a.Host.ApplyRisk("""{"velocity": {"count": 2, "window": "1h"}, "stepUp": {"aboveMinor": 10000}}""");
        Assert.True(await Eventually.WithinAsync(TimeSpan.FromSeconds(10), () => b.Host.RiskJson == a.Host.RiskJson), "the rules reached host B");

        var card = a.Host.ListCardholders(1, "healthy").Single();
        var token = await a.BindAsync(card);
        Assert.Equal("00", (await Pay(a, token, 100)).ResponseCode);
        Assert.Equal("00", (await Pay(b, token, 100)).ResponseCode);
        var third = await Pay(a, token, 100);
        Assert.Equal(("65", "velocity"), (third.ResponseCode, third.RiskRule));

        var card2 = a.Host.ListCardholders(2, "healthy")[1];
        var token2 = await a.BindAsync(card2);
        var after = (await b.Inbox.ListMessagesAsync(new ListMessagesRequest { Phone = card2.Phone })).Messages.Last().Sequence;
        var auth = await Pay(a, token2, 20_000);
        Assert.Equal("1A", auth.ResponseCode);
        var sms = await b.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = card2.Phone, TimeoutMs = 5000, AfterSequence = after });
        Assert.Equal("otp", sms.Message.Kind);
        var ok = await b.Issuers[0].AuthenticatePaymentAsync(new AuthenticatePaymentRequest { ChallengeId = auth.ChallengeId, Otp = sms.Message.Otp });
        Assert.Equal("00", ok.ResponseCode);
        var again = await a.Issuers[1].AuthenticatePaymentAsync(new AuthenticatePaymentRequest { ChallengeId = auth.ChallengeId, Otp = sms.Message.Otp });
        Assert.Equal(ok.AuthorizationId, again.AuthorizationId);
        await b.Issuers[0].CaptureAsync(new CaptureRequest { AuthorizationId = ok.AuthorizationId });
        var notice = await a.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = card2.Phone, TimeoutMs = 5000, AfterSequence = sms.Message.Sequence, Kind = "transaction" });
        Assert.Equal(("transaction", ""), (notice.Message.Kind, notice.Message.Otp));

        var inv = a.Host.GetInvariants();
        Assert.True(inv.MoneyConserved);
        Assert.Equal(200, inv.HeldMinor);
        Assert.Equal(20_000, inv.CapturedMinor);
    }

    private static async Task<AuthorizeReply> Pay(TestSimulator sim, string token, long amount) =>
        await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = token, AmountMinor = amount, MerchantId = "shop-1" });
}

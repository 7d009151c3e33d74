using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using PaySim.Contracts.Control.V1;
using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Challenges;

/// <summary>SMS step-up at checkout (1A + AuthenticatePayment) on a real simulator on port 0.</summary>
public sealed class StepUpTests
{
    [Fact]
    public async Task AboveTheThreshold_Authorize1A_HoldsNothing_SendsAnOtpSms_AndTheRightCodeHoldsOnce()
    {
        await using var sim = await Start();
        var card = sim.Host.ListCardholders(1, "healthy")[0];
        var token = await sim.BindAsync(card);
        var after = await LastSequence(sim, card.Phone);

        Assert.Equal("00", (await Pay(sim, token, 5_000, "small")).ResponseCode);
        var auth = await Pay(sim, token, 12_345, "big");
        Assert.Equal(("1A", DeclineReason.AuthenticationRequired, "stepUp"), (auth.ResponseCode, auth.DeclineReason, auth.RiskRule));
        Assert.StartsWith("chl_", auth.ChallengeId);
        Assert.Equal("", auth.AuthorizationId);
        Assert.Equal(300, auth.OtpTtlSeconds);
        Assert.Equal(card.Phone[..3], auth.MaskedPhone[..3]);
        Assert.Equal(5_000, sim.Host.GetInvariants().HeldMinor);

        var sms = await sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = card.Phone, TimeoutMs = 5000, AfterSequence = after });
        Assert.True(sms.Found);
        Assert.Equal(("otp", auth.ChallengeId), (sms.Message.Kind, sms.Message.CorrelationId));
        Assert.Matches("^[0-9]{6}$", sms.Message.Otp);

        var wrong = await sim.Issuers[1].AuthenticatePaymentAsync(new AuthenticatePaymentRequest { ChallengeId = auth.ChallengeId, Otp = Wrong(sms.Message.Otp) });
        Assert.Equal(("55", DeclineReason.OtpWrong, 2), (wrong.ResponseCode, wrong.DeclineReason, wrong.AttemptsLeft));

        var ok = await sim.Issuers[1].AuthenticatePaymentAsync(new AuthenticatePaymentRequest { ChallengeId = auth.ChallengeId, Otp = sms.Message.Otp });
        Assert.Equal("00", ok.ResponseCode);
        Assert.StartsWith("auth_", ok.AuthorizationId);
        Assert.Equal(card.BalanceMinor - 5_000 - 12_345, ok.AvailableBalanceMinor);

        // The same challenge and code again, on another node: the same reply, and no second hold.
        var again = await sim.Issuers[2].AuthenticatePaymentAsync(new AuthenticatePaymentRequest { ChallengeId = auth.ChallengeId, Otp = sms.Message.Otp });
        Assert.Equal((ok.ResponseCode, ok.AuthorizationId, ok.AvailableBalanceMinor), (again.ResponseCode, again.AuthorizationId, again.AvailableBalanceMinor));
        var invariants = sim.Host.GetInvariants();
        Assert.Equal(5_000 + 12_345, invariants.HeldMinor);
        Assert.True(invariants.MoneyConserved);
        Assert.Equal("big", sim.Host.GetLedger("", 10).Entries.Single(e => e.AuthorizationId == ok.AuthorizationId).OrderReference);

        var capture = await sim.Issuers[0].CaptureAsync(new CaptureRequest { AuthorizationId = ok.AuthorizationId });
        Assert.Equal(12_345, capture.CapturedMinor);
        var stats = sim.Host.GetStats().Nodes.Single(n => n.Name == "issuer-1").Methods.Single(m => m.Method == "Authorize");
        Assert.Equal(1, stats.Risk["stepUp"]);
    }

    [Fact]
    public async Task TheCodeExpires_OnTheFakeClock_AndAResendByChallengeIdGivesAWorkingOne()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = await Start(time);
        var card = sim.Host.ListCardholders(1, "healthy")[0];
        var token = await sim.BindAsync(card);
        var after = await LastSequence(sim, card.Phone);
        var auth = await Pay(sim, token, 20_000, "o-1");
        var first = await sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = card.Phone, TimeoutMs = 5000, AfterSequence = after });

        time.Advance(TimeSpan.FromMinutes(5));
        var late = await sim.Issuers[0].AuthenticatePaymentAsync(new AuthenticatePaymentRequest { ChallengeId = auth.ChallengeId, Otp = first.Message.Otp });
        Assert.Equal(("55", DeclineReason.OtpExpired), (late.ResponseCode, late.DeclineReason));
        Assert.Equal(0, sim.Host.GetInvariants().HeldMinor);

        var resend = await sim.Issuers[1].ResendOtpAsync(new ResendOtpRequest { ChallengeId = auth.ChallengeId });
        Assert.Equal("00", resend.ResponseCode);
        var tooSoon = await sim.Issuers[1].ResendOtpAsync(new ResendOtpRequest { ChallengeId = auth.ChallengeId });
        Assert.Equal(("05", DeclineReason.ResendTooSoon), (tooSoon.ResponseCode, tooSoon.DeclineReason));
        var both = await sim.Issuers[1].ResendOtpAsync(new ResendOtpRequest { ChallengeId = auth.ChallengeId, BindingId = "bnd_x" });
        Assert.Equal(("30", DeclineReason.InvalidRequest), (both.ResponseCode, both.DeclineReason));

        var second = await sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = card.Phone, TimeoutMs = 5000, AfterSequence = first.Message.Sequence });
        var ok = await sim.Issuers[2].AuthenticatePaymentAsync(new AuthenticatePaymentRequest { ChallengeId = auth.ChallengeId, Otp = second.Message.Otp });
        Assert.Equal("00", ok.ResponseCode);
        Assert.Equal(20_000, sim.Host.GetInvariants().HeldMinor);
        var done = await sim.Issuers[1].ResendOtpAsync(new ResendOtpRequest { ChallengeId = auth.ChallengeId });
        Assert.Equal(("00", "payment already authenticated"), (done.ResponseCode, done.Message));
    }

    [Fact]
    public async Task ThreeWrongCodes_CloseTheChallenge_TheRightCodeAndAResendAreThenRefused_AndNothingIsHeld()
    {
        await using var sim = await Start();
        var card = sim.Host.ListCardholders(1, "healthy")[0];
        var token = await sim.BindAsync(card);
        var after = await LastSequence(sim, card.Phone);
        var auth = await Pay(sim, token, 20_000, "o-2");
        var sms = await sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = card.Phone, TimeoutMs = 5000, AfterSequence = after });
        var wrong = Wrong(sms.Message.Otp);
        var codes = new List<(string, DeclineReason, int)>();
        foreach (var code in new[] { wrong, wrong, "000001", "000002" })
        {
            var r = await sim.Issuers[0].AuthenticatePaymentAsync(new AuthenticatePaymentRequest { ChallengeId = auth.ChallengeId, Otp = code });
            codes.Add((r.ResponseCode, r.DeclineReason, r.AttemptsLeft));
        }

        // The same wrong code twice is one attempt (same reply); the third distinct wrong code closes it.
        Assert.Equal(
            [("55", DeclineReason.OtpWrong, 2), ("55", DeclineReason.OtpWrong, 2), ("55", DeclineReason.OtpWrong, 1), ("55", DeclineReason.OtpAttemptsExceeded, 0)],
            codes);
        var right = await sim.Issuers[0].AuthenticatePaymentAsync(new AuthenticatePaymentRequest { ChallengeId = auth.ChallengeId, Otp = sms.Message.Otp });
        Assert.Equal(("55", DeclineReason.OtpAttemptsExceeded), (right.ResponseCode, right.DeclineReason));
        var resend = await sim.Issuers[0].ResendOtpAsync(new ResendOtpRequest { ChallengeId = auth.ChallengeId });
        Assert.Equal(("55", DeclineReason.OtpAttemptsExceeded), (resend.ResponseCode, resend.DeclineReason));
        Assert.Equal(0, sim.Host.GetInvariants().HeldMinor);
    }

    [Fact]
    public async Task UnknownChallenge_Is14ChallengeUnknown()
    {
        await using var sim = await Start();
        var r = await sim.Issuers[0].AuthenticatePaymentAsync(new AuthenticatePaymentRequest { ChallengeId = "chl_nope", Otp = "123456" });
        Assert.Equal(("14", DeclineReason.ChallengeUnknown), (r.ResponseCode, r.DeclineReason));
        var empty = await sim.Issuers[0].AuthenticatePaymentAsync(new AuthenticatePaymentRequest());
        Assert.Equal(("14", DeclineReason.ChallengeUnknown), (empty.ResponseCode, empty.DeclineReason));
        var resend = await sim.Issuers[0].ResendOtpAsync(new ResendOtpRequest { ChallengeId = "chl_nope" });
        Assert.Equal(("14", DeclineReason.ChallengeUnknown), (resend.ResponseCode, resend.DeclineReason));
    }

    [Fact]
    public async Task AuthorizeReplayedWithItsKey_AnswersTheSameChallenge_AndSendsOneSms()
    {
        await using var sim = await Start();
        var card = sim.Host.ListCardholders(1, "healthy")[0];
        var token = await sim.BindAsync(card);
        var after = await LastSequence(sim, card.Phone);
        var request = new AuthorizeRequest { CardToken = token, AmountMinor = 30_000, MerchantId = "shop-1", OrderReference = "o-3", IdempotencyKey = "pay-3" };
        var a = await sim.Issuers[0].AuthorizeAsync(request);
        var b = await sim.Issuers[1].AuthorizeAsync(request);
        Assert.Equal("1A", a.ResponseCode);
        Assert.Equal(a.ChallengeId, b.ChallengeId);
        var inbox = await sim.Inbox.ListMessagesAsync(new ListMessagesRequest { Phone = card.Phone });
        Assert.Single(inbox.Messages, m => m.Sequence > after);
    }

    [Fact]
    public async Task ARiskRuleWithActionChallenge_Answers1AInsteadOfDeclining()
    {
        await using var sim = await TestSimulator.StartAsync();
        await Put(sim, """{"velocity": {"count": 1, "window": "1m", "action": "challenge"}}""");
        var token = await sim.BindAsync(sim.Host.ListCardholders(1, "healthy")[0]);
        Assert.Equal("00", (await Pay(sim, token, 100, "a")).ResponseCode);
        var second = await Pay(sim, token, 100, "b");
        Assert.Equal(("1A", "velocity"), (second.ResponseCode, second.RiskRule));
    }

    [Fact]
    public async Task AnSmsDropRule_DropsThePaymentOtpToo()
    {
        await using var sim = await Start();
        var card = sim.Host.ListCardholders(1, "healthy")[0];
        var token = await sim.BindAsync(card);
        var after = await LastSequence(sim, card.Phone);
        sim.Host.ApplyFaults("""{"name": "lost", "node": "sms", "smsDrop": {}}""");
        var auth = await Pay(sim, token, 20_000, "o-4");
        Assert.Equal("1A", auth.ResponseCode);
        var sms = await sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = card.Phone, TimeoutMs = 300, AfterSequence = after });
        Assert.False(sms.Found);
        Assert.Equal(1, sim.Host.GetStats().Nodes.Single(n => n.Name == "sms").Methods.Single(m => m.Method == "Send").Faults["smsDrop"]);
    }

    private static async Task<TestSimulator> Start(FakeTimeProvider? time = null)
    {
        var options = TestSimulator.EphemeralOptions(cardholders: 50);
        if (time is not null)
        {
            options.TimeProvider = time;
        }

        var sim = await TestSimulator.StartAsync(options);
        await Put(sim, """{"stepUp": {"aboveMinor": 10000}}""");
        return sim;
    }

    private static async Task Put(TestSimulator sim, string json)
    {
        using var response = await sim.Http.PutAsync("/v1/risk", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<long> LastSequence(TestSimulator sim, string phone) =>
        (await sim.Inbox.ListMessagesAsync(new ListMessagesRequest { Phone = phone })).Messages.LastOrDefault()?.Sequence ?? 0;

    private static string Wrong(string otp) => otp == "999999" ? "999998" : "999999";

    private static async Task<AuthorizeReply> Pay(TestSimulator sim, string token, long amount, string order) =>
        await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = token, AmountMinor = amount, MerchantId = "shop-1", OrderReference = order });
}

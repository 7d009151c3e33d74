using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Binding;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Binding;

public sealed class OtpTests
{
    [Fact]
    public void Otp_IsValidUntilTheTtl_AndExpiredOneSecondAfter()
    {
        var issuer = new TestIssuer();
        var card = issuer.First(Persona.Healthy);
        var start = issuer.Start(card);
        var otp = issuer.LastOtp(card)!;
        Assert.Matches(@"^\d{6}$", otp);

        issuer.Time.Advance(TimeSpan.FromSeconds(300));
        var late = issuer.Engine.ConfirmBinding(start.BindingId, otp, "");

        Assert.Equal(("55", DeclineReason.OtpExpired), (late.Code, late.Reason));

        var second = issuer.Start(card);
        issuer.Time.Advance(TimeSpan.FromSeconds(299));
        Assert.Equal("00", issuer.Engine.ConfirmBinding(second.BindingId, issuer.LastOtp(card)!, "").Code);
    }

    [Fact]
    public void Otp_AllowsThreeAttempts_ThenRefusesEvenTheRightCode()
    {
        var issuer = new TestIssuer();
        var card = issuer.First(Persona.Healthy);
        var start = issuer.Start(card);
        var otp = issuer.LastOtp(card)!;
        var wrong = otp == "111111" ? "222222" : "111111";

        var a = issuer.Engine.ConfirmBinding(start.BindingId, wrong, "");
        var b = issuer.Engine.ConfirmBinding(start.BindingId, wrong, "");
        var c = issuer.Engine.ConfirmBinding(start.BindingId, wrong, "");
        var d = issuer.Engine.ConfirmBinding(start.BindingId, otp, "");

        Assert.Equal((DeclineReason.OtpWrong, 2), (a.Reason, a.AttemptsLeft));
        Assert.Equal((DeclineReason.OtpWrong, 1), (b.Reason, b.AttemptsLeft));
        Assert.Equal(DeclineReason.OtpAttemptsExceeded, c.Reason);
        Assert.Equal(("55", DeclineReason.OtpAttemptsExceeded), (d.Code, d.Reason));
    }

    [Fact]
    public void Resend_WithinTheCooldown_IsRefusedWithRetryAfter_AndAfterItSendsAFreshCode()
    {
        var issuer = new TestIssuer(otp: new OtpOptions { ResendCooldown = TimeSpan.FromSeconds(60) });
        var card = issuer.First(Persona.Healthy);
        var start = issuer.Start(card);
        var firstOtp = issuer.LastOtp(card);

        issuer.Time.Advance(TimeSpan.FromSeconds(20));
        var early = issuer.Engine.ResendOtp(start.BindingId);
        Assert.Equal(DeclineReason.ResendTooSoon, early.Reason);
        Assert.Equal(40_000, early.RetryAfterMs);

        issuer.Time.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal("00", issuer.Engine.ResendOtp(start.BindingId).Code);
        Assert.Equal(2, issuer.State.Inbox.List(card.Phone).Count);
        var fresh = issuer.LastOtp(card)!;
        if (fresh != firstOtp)
        {
            Assert.Equal(DeclineReason.OtpWrong, issuer.Engine.ConfirmBinding(start.BindingId, firstOtp!, "").Reason);
        }

        Assert.Equal("00", issuer.Engine.ConfirmBinding(start.BindingId, fresh, "").Code);
    }

    [Fact]
    public void OtpStore_WithConfiguredTtlAndAttempts_UsesThem()
    {
        var store = new InMemoryOtpStore(new OtpOptions { Ttl = TimeSpan.FromSeconds(30), Attempts = 1 });
        var now = DateTimeOffset.UnixEpoch;
        Assert.True(store.TryIssue("b", "123456", now, out _));
        Assert.Equal(OtpVerdict.AttemptsExceeded, store.Verify("b", "000000", now, out _));

        Assert.True(store.TryIssue("c", "123456", now, out _));
        Assert.Equal(OtpVerdict.Expired, store.Verify("c", "123456", now.AddSeconds(30), out _));
        Assert.Equal(OtpVerdict.Unknown, store.Verify("zzz", "123456", now, out _));
    }
}

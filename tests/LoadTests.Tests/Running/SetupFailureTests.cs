using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Running;

namespace PaySim.LoadTests.Tests.Running;

/// <summary>What a preparation that bound no card says (issue 15, bug 4): the causes counted, the first reply, what to check.</summary>
public sealed class SetupFailureTests
{
    private static readonly ClientBehaviour Client = new() { SmsTimeout = TimeSpan.FromSeconds(3), Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public void NoWalletCallFailedAndNoSmsCame_PointsAtTheSmsPath()
    {
        var text = SetupFailure.Describe(["bind sms_timeout", "bind sms_timeout", "register timeout"], [], Client);

        Assert.Equal(
            [
                "could not bind any card before the run (3 attempts failed: bind sms_timeout ×2, register timeout ×1).",
                "Check: no OTP reached the simulator's SMS inbox for the card's reserved phone within client.smsTimeout (3s): check that the wallet's POST /cards/bind calls the simulator's issuer StartBinding (which sends the SMS) and that --sms-url is the gateway that simulator uses.",
            ],
            text.Split('\n'));
    }

    [Fact]
    public void AnAdaptersReplyWithoutExchange_ShowsWhatTheAdapterReturned()
    {
        var text = SetupFailure.Describe(["bind card_declined"], [new FailedSetupCall("bind_start", 402, "card_declined", "phone mismatch", "wallet-2", null)], Client);

        Assert.Equal(
            [
                "could not bind any card before the run (1 attempts failed: bind card_declined ×1).",
                "The wallet's first failed reply (bind_start):",
                "  status 402, code card_declined, message phone mismatch, X-Served-By wallet-2",
                "Check: the issuer or the wallet declined a healthy, funded card: check that the wallet forwards the card as typed (pan, expiry MM/YY, cvv, holderName, idNumber, phone) to StartBinding and the OTP to ConfirmBinding.",
            ],
            text.Split('\n'));
    }

    [Theory]
    [InlineData(0, "timeout", "the wallet gave no reply to register within client.timeout (5s)")]
    [InlineData(0, "connection_failed", "the wallet could not be reached: check each --wallet-url.")]
    [InlineData(401, "unauthorized", "the wallet refused the caller")]
    [InlineData(404, "http_404", "the wallet has no such route")]
    [InlineData(503, "issuer_unavailable", "the wallet failed: check its log")]
    public void TheCheck_FollowsTheFirstReplysStatus(int status, string code, string start)
    {
        Assert.StartsWith(start, SetupFailure.Check(new FailedSetupCall("register", status, code, null, null, null), "register " + code, Client), StringComparison.Ordinal);
    }
}

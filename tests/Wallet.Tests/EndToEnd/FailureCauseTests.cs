using System.Net;
using PaySim.Contracts.Control.V1;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.EndToEnd;

/// <summary>Each real cause of a failed binding or payment reaches the user as its own stable error code.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class FailureCauseTests
{
    [Theory]
    [InlineData("phone-mismatch", "phone_mismatch")]
    [InlineData("id-mismatch", "id_mismatch")]
    [InlineData("name-mismatch", "name_mismatch")]
    [InlineData("expired", "card_expired")]
    [InlineData("blocked", "card_blocked")]
    public async Task StartBinding_WrongOrUnusableCardData_IsDeclinedWithTheCause(string persona, string code)
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient);
        using var user = await cluster.NewUserAsync();

        var reply = await Cluster.StartBindingAsync(user, cluster.Cardholder(persona));

        Assert.Equal((HttpStatusCode.PaymentRequired, code), (reply.Status, reply.ErrorCode));
        Assert.NotNull(reply.Json!["error"]!["issuerCode"]);
        var binding = await user.GetAsync("/cards");
        Assert.Empty(binding.Json!["cards"]!.AsArray());
    }

    [Fact]
    public async Task StartBinding_MalformedPhoneIdNumberOrPan_Is422NamingTheField_WithNoIssuerCall_WhileWellFormedWrongDataReachesTheIssuer()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient);
        using var user = await cluster.NewUserAsync();
        var card = cluster.Cardholder("healthy");
        var body = new { pan = card.Pan, expiry = card.Expiry, cvv = card.Cvv, holderName = card.InputHolderName, idNumber = card.InputIdNumber, phone = card.InputPhone };
        var lastDigit = card.Pan[^1] - '0';
        var mistyped = card.Pan[..^1] + (char)('0' + ((lastDigit + 1) % 10));

        var replies = new (string Field, WalletClient.Reply Reply)[]
        {
            ("phone", await user.PostAsync("/cards/bind", body with { phone = "abc" })),
            ("phone", await user.PostAsync("/cards/bind", body with { phone = "1" })),
            ("phone", await user.PostAsync("/cards/bind", body with { phone = "1380013800012345" })),
            ("phone", await user.PostAsync("/cards/bind", body with { phone = (string)null! })),
            ("idNumber", await user.PostAsync("/cards/bind", body with { idNumber = "x" })),
            ("idNumber", await user.PostAsync("/cards/bind", body with { idNumber = "1101;DROP" })),
            ("pan", await user.PostAsync("/cards/bind", body with { pan = mistyped })),
        };
        var startsBefore = cluster.CallsPerNode("StartBinding").Values.Sum();
        var wrongPhone = await user.PostAsync("/cards/bind", body with { phone = card.Phone == "13800000000" ? "13800000001" : "13800000000" });

        Assert.All(replies, r => Assert.True((r.Reply.Status, r.Reply.ErrorCode) == (HttpStatusCode.UnprocessableEntity, "invalid_request"), r.Field + ": " + r.Reply));
        Assert.All(replies, r => Assert.StartsWith(r.Field + " ", r.Reply.Json!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Contains("6 to 15 digits", replies[0].Reply.Text, StringComparison.Ordinal);
        Assert.Contains("Luhn", replies[^1].Reply.Text, StringComparison.Ordinal);
        Assert.Equal(0, startsBefore);
        Assert.Equal((HttpStatusCode.PaymentRequired, "phone_mismatch"), (wrongPhone.Status, wrongPhone.ErrorCode));
    }

    [Fact]
    public async Task Pay_LowBalanceCard_IsDeclinedAsInsufficientFundsAndReplayedAsSuch()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient);
        using var user = await cluster.NewUserAsync();
        var card = cluster.Cardholder("low-balance");
        await cluster.BindAsync(user, card);

        var declined = await Cluster.PayAsync(user, card.BalanceMinor + 1, "order-lb", "key-lb");
        var retried = await Cluster.PayAsync(user, card.BalanceMinor + 1, "order-lb", "key-lb");

        Assert.Equal((HttpStatusCode.PaymentRequired, "insufficient_funds", "51"), (declined.Status, declined.ErrorCode, declined.Json!["error"]!["issuerCode"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.PaymentRequired, "insufficient_funds"), (retried.Status, retried.ErrorCode));
        Assert.Equal(1, cluster.CallsPerNode("Authorize").Values.Sum());
        var notifications = await user.GetAsync($"/users/{user.UserId}/notifications");
        Assert.Equal("payment_declined", notifications.Json!["notifications"]![0]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Confirm_WrongOtp_SaysHowManyAttemptsAreLeft()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient);
        using var user = await cluster.NewUserAsync();
        var card = cluster.Cardholder("healthy");
        var start = await Cluster.StartBindingAsync(user, card);
        var sms = await cluster.ReadSmsAsync(card.Phone, TimeSpan.FromSeconds(10));
        var wrong = ((int.Parse(sms!.Otp, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("000000", System.Globalization.CultureInfo.InvariantCulture);

        var reply = await user.PostAsync($"/cards/bind/{start.Str("bindingId")}/confirm", new { otp = wrong });
        var right = await user.PostAsync($"/cards/bind/{start.Str("bindingId")}/confirm", new { otp = sms.Otp });

        Assert.Equal((HttpStatusCode.PaymentRequired, "otp_wrong", 2), (reply.Status, reply.ErrorCode, reply.Json!["error"]!["attemptsLeft"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.Created, right.Status);
    }

    [Fact]
    public async Task Confirm_SlowSms_SucceedsOnceTheLateCodeArrives()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient);
        using var user = await cluster.NewUserAsync();
        var card = cluster.Cardholder("slow-sms");
        var start = await Cluster.StartBindingAsync(user, card);
        Assert.Equal(HttpStatusCode.Created, start.Status);

        var early = await cluster.ReadSmsAsync(card.Phone, TimeSpan.FromMilliseconds(200));
        var late = await cluster.ReadSmsAsync(card.Phone, TimeSpan.FromSeconds(10));
        var confirm = await user.PostAsync($"/cards/bind/{start.Str("bindingId")}/confirm", new { otp = late!.Otp });

        Assert.Null(early);
        Assert.Equal(HttpStatusCode.Created, confirm.Status);
    }

    [Fact]
    public async Task Confirm_SmsArrivingAfterTheOtpExpired_IsOtpExpired()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient, simulator: o =>
        {
            o.OtpTtl = TimeSpan.FromMilliseconds(500);
            o.SlowSmsDelay = TimeSpan.FromMilliseconds(1200);
        });
        using var user = await cluster.NewUserAsync();
        var card = cluster.Cardholder("slow-sms");
        var start = await Cluster.StartBindingAsync(user, card);

        var late = await cluster.ReadSmsAsync(card.Phone, TimeSpan.FromSeconds(10));
        var confirm = await user.PostAsync($"/cards/bind/{start.Str("bindingId")}/confirm", new { otp = late!.Otp });

        Assert.Equal((HttpStatusCode.PaymentRequired, "otp_expired"), (confirm.Status, confirm.ErrorCode));
    }

    [Fact]
    public async Task Resend_UnreachablePhone_IsAcceptedButNoSmsEverArrives()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient);
        using var user = await cluster.NewUserAsync();
        var card = cluster.Cardholder("sms-unreachable");
        var start = await Cluster.StartBindingAsync(user, card);
        Assert.Equal(HttpStatusCode.Created, start.Status);

        var first = await cluster.ReadSmsAsync(card.Phone, TimeSpan.FromMilliseconds(500));
        var resend = await user.PostAsync($"/cards/bind/{start.Str("bindingId")}/resend");
        var second = await cluster.ReadSmsAsync(card.Phone, TimeSpan.FromMilliseconds(500));

        Assert.Null(first);
        Assert.Equal(HttpStatusCode.Accepted, resend.Status);
        Assert.Null(second);
    }

    [Fact]
    public async Task Resend_WithinTheCooldown_ResilientWaitsAndSendsWhileNaiveSaysTooSoon()
    {
        await using var resilient = await Cluster.StartAsync(WalletMode.Resilient, simulator: o => o.ResendCooldown = TimeSpan.FromMilliseconds(800));
        using var user = await resilient.NewUserAsync();
        var card = resilient.Cardholder("healthy");
        var start = await Cluster.StartBindingAsync(user, card);
        var firstSms = await resilient.ReadSmsAsync(card.Phone, TimeSpan.FromSeconds(10));

        var resend = await user.PostAsync($"/cards/bind/{start.Str("bindingId")}/resend");
        var secondSms = await resilient.ReadSmsAsync(card.Phone, TimeSpan.FromSeconds(10), firstSms!.Sequence);
        Assert.Equal(HttpStatusCode.Accepted, resend.Status);
        Assert.NotNull(secondSms);
        var confirm = await user.PostAsync($"/cards/bind/{start.Str("bindingId")}/confirm", new { otp = secondSms.Otp });
        Assert.Equal(HttpStatusCode.Created, confirm.Status);

        await resilient.RestartWalletAsync(o => o.Mode = WalletMode.Naive);
        using var naiveUser = await resilient.NewUserAsync();
        var naiveCard = resilient.Cardholder("healthy");
        var naiveStart = await Cluster.StartBindingAsync(naiveUser, naiveCard);
        var tooSoon = await naiveUser.PostAsync($"/cards/bind/{naiveStart.Str("bindingId")}/resend");
        Assert.Equal((HttpStatusCode.TooManyRequests, "resend_too_soon"), (tooSoon.Status, tooSoon.ErrorCode));
        Assert.InRange(tooSoon.Json!["error"]!["retryAfterMs"]!.GetValue<long>(), 1, 800);
    }

    [Theory]
    [InlineData(WalletMode.Resilient)]
    [InlineData(WalletMode.Naive)]
    public async Task PayAndBind_EveryIssuerNodeDown_IsIssuerUnavailable(WalletMode mode)
    {
        await using var cluster = await Cluster.StartAsync(mode);
        using var user = await cluster.NewUserAsync();
        await cluster.BindAsync(user, cluster.Cardholder("healthy"));
        foreach (var node in cluster.Simulator.IssuerNodes)
        {
            await cluster.Simulator.SetNodeStateAsync(node.Name, NodeState.Down);
        }

        var pay = await Cluster.PayAsync(user, 100, "order-down", "key-down");
        var bind = await Cluster.StartBindingAsync(user, cluster.Cardholder("healthy"));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "issuer_unavailable"), (pay.Status, pay.ErrorCode));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "issuer_unavailable"), (bind.Status, bind.ErrorCode));
    }
}

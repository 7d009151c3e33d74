using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Sms;

/// <summary>Transaction notices after every capture and refund, and OTP readers that never take one for a code.</summary>
public sealed class TransactionSmsTests
{
    [Fact]
    public async Task CaptureAndRefund_EachSendOneTransactionNotice_WithoutAnOtp_ToTheReservedPhone()
    {
        await using var sim = await TestSimulator.StartAsync();
        var card = sim.Host.ListCardholders(1, "healthy", "en")[0];
        var token = await sim.BindAsync(card);
        var after = (await sim.Inbox.ListMessagesAsync(new ListMessagesRequest { Phone = card.Phone })).Messages.Last().Sequence;

        var auth = await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = token, AmountMinor = 123_456_789, MerchantId = "shop-1" });
        if (auth.ResponseCode != "00")
        {
            auth = await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = token, AmountMinor = 123_456, MerchantId = "shop-1" });
        }

        Assert.Equal("00", auth.ResponseCode);
        await sim.Issuers[1].CaptureAsync(new CaptureRequest { AuthorizationId = auth.AuthorizationId, IdempotencyKey = "cap-1" });
        await sim.Issuers[2].CaptureAsync(new CaptureRequest { AuthorizationId = auth.AuthorizationId, IdempotencyKey = "cap-1" });
        await sim.Issuers[1].RefundAsync(new RefundRequest { AuthorizationId = auth.AuthorizationId, AmountMinor = 100 });

        var notices = (await sim.Inbox.ListMessagesAsync(new ListMessagesRequest { Phone = card.Phone })).Messages.Where(m => m.Sequence > after).ToList();
        Assert.Equal(2, notices.Count);
        Assert.All(notices, m => Assert.Equal(("transaction", "", auth.AuthorizationId), (m.Kind, m.Otp, m.CorrelationId)));
        Assert.Contains("charged", notices[0].Text);
        Assert.Contains(card.Pan[^4..], notices[0].Text);
        Assert.Contains("refunded, USD 1.00 in total", notices[1].Text);

        // A reader waiting for a code (kind empty = otp) does not get the notices; kind any does.
        var otp = await sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = card.Phone, TimeoutMs = 200, AfterSequence = after });
        Assert.False(otp.Found);
        var any = await sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = card.Phone, TimeoutMs = 200, AfterSequence = after, Kind = "any" });
        Assert.Equal(notices[0].MessageId, any.Message.MessageId);
        var tx = await sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = card.Phone, TimeoutMs = 200, AfterSequence = notices[0].Sequence, Kind = "transaction" });
        Assert.Equal(notices[1].MessageId, tx.Message.MessageId);
    }

    [Fact]
    public async Task ABindingOtpAfterNotices_IsTheMessageAnOtpReaderGets()
    {
        await using var sim = await TestSimulator.StartAsync();
        var card = sim.Host.ListCardholders(1, "healthy")[0];
        var token = await sim.BindAsync(card);
        var after = (await sim.Inbox.ListMessagesAsync(new ListMessagesRequest { Phone = card.Phone })).Messages.Last().Sequence;
        var auth = await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = token, AmountMinor = 100, MerchantId = "shop-1" });
        await sim.Issuers[0].CaptureAsync(new CaptureRequest { AuthorizationId = auth.AuthorizationId });

        // Binding the card again: the reader waiting after the old sequence skips the notice and gets the new code.
        var start = await sim.Issuers[0].StartBindingAsync(new StartBindingRequest
        {
            Pan = card.Pan, Expiry = card.Expiry, Cvv = card.Cvv, HolderName = card.InputHolderName, IdNumber = card.InputIdNumber, Phone = card.InputPhone,
        });
        var sms = await sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = card.Phone, TimeoutMs = 5000, AfterSequence = after });
        Assert.Equal(("otp", start.BindingId), (sms.Message.Kind, sms.Message.CorrelationId));
        var confirm = await sim.Issuers[1].ConfirmBindingAsync(new ConfirmBindingRequest { BindingId = start.BindingId, Otp = sms.Message.Otp });
        Assert.Equal("00", confirm.ResponseCode);
    }

    [Fact]
    public async Task WaitForMessage_WithAnUnknownKind_IsInvalidArgumentNamingTheAllowedOnes()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));
        var e = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () =>
            await sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = "13800000000", TimeoutMs = 10, Kind = "otps" }));
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("kind 'otps' is not allowed; allowed: otp, transaction, any (empty = otp)", e.Status.Detail);
    }
}

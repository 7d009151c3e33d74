using Grpc.Net.Client;
using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Cardholders;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// The documented magic "00" card (approves everything, 1,000,000.00 of balance and daily limit),
/// and how to read its OTP from the simulator's inbox: what both setup tools bind.
/// </summary>
internal static class MagicCardBinder
{
    public static CardholderRecord ApprovedCard { get; } = MagicCards.All.First(c => c.ExpectedResponseCode == "00");

    public static async Task<string> WaitForOtpAsync(Uri sms, long afterSequence = 0)
    {
        using var channel = GrpcChannel.ForAddress(sms);
        var inbox = new Inbox.InboxClient(channel);
        var reply = await inbox.WaitForMessageAsync(new WaitForMessageRequest
        {
            Phone = ApprovedCard.Phone,
            TimeoutMs = 10_000,
            AfterSequence = afterSequence,
        });
        return reply.Found && reply.Message.Otp.Length > 0
            ? reply.Message.Otp
            : throw new InvalidOperationException($"no OTP reached {ApprovedCard.Phone} within 10 s");
    }

    public static async Task<long> LastSequenceAsync(Uri sms)
    {
        using var channel = GrpcChannel.ForAddress(sms);
        var reply = await new Inbox.InboxClient(channel).ListMessagesAsync(new ListMessagesRequest { Phone = ApprovedCard.Phone });
        return reply.Messages.Count == 0 ? 0 : reply.Messages.Max(m => m.Sequence);
    }

    /// <summary>Binds the card directly on an issuer node; returns its card token.</summary>
    public static async Task<string> BindOnIssuerAsync(Uri issuer, Uri sms)
    {
        var card = ApprovedCard;
        using var channel = GrpcChannel.ForAddress(issuer);
        var client = new Issuer.IssuerClient(channel);
        var after = await LastSequenceAsync(sms);
        var started = await client.StartBindingAsync(new StartBindingRequest
        {
            Pan = card.Pan,
            Expiry = card.Expiry,
            Cvv = card.Cvv,
            HolderName = card.InputHolderName,
            IdNumber = card.InputIdNumber,
            Phone = card.InputPhone,
        });
        if (started.ResponseCode != "00")
        {
            throw new InvalidOperationException($"StartBinding answered {started.ResponseCode} {started.DeclineReason}: {started.Message}");
        }

        var confirmed = await client.ConfirmBindingAsync(new ConfirmBindingRequest
        {
            BindingId = started.BindingId,
            Otp = await WaitForOtpAsync(sms, after),
        });
        return confirmed.ResponseCode == "00" && confirmed.CardToken.Length > 0
            ? confirmed.CardToken
            : throw new InvalidOperationException($"ConfirmBinding answered {confirmed.ResponseCode} {confirmed.DeclineReason}: {confirmed.Message}");
    }
}

using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Sms;

namespace PaySim.Simulator.Services;

internal sealed class InboxService(ISmsInbox inbox) : Inbox.InboxBase
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    public override Task<ListMessagesReply> ListMessages(ListMessagesRequest request, ServerCallContext context)
    {
        var reply = new ListMessagesReply();
        reply.Messages.AddRange(inbox.List(request.Phone, request.Limit).Select(ToMessage));
        return Task.FromResult(reply);
    }

    public override async Task<WaitForMessageReply> WaitForMessage(WaitForMessageRequest request, ServerCallContext context)
    {
        var timeout = request.TimeoutMs > 0 ? TimeSpan.FromMilliseconds(request.TimeoutMs) : DefaultWait;
        var m = await inbox.WaitAsync(request.Phone, request.AfterSequence, timeout, context.CancellationToken).ConfigureAwait(false);
        return m is null ? new WaitForMessageReply { Found = false } : new WaitForMessageReply { Found = true, Message = ToMessage(m) };
    }

    public override async Task StreamMessages(StreamMessagesRequest request, IServerStreamWriter<SmsMessage> responseStream, ServerCallContext context)
    {
        var after = inbox.LastSequence(request.Phone);
        var ct = context.CancellationToken;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var m = await inbox.WaitAsync(request.Phone, after, Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false);
                if (m is null)
                {
                    continue;
                }

                after = m.Sequence;
                await responseStream.WriteAsync(ToMessage(m), ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The caller hung up: the stream simply ends.
        }
    }

    internal static SmsMessage ToMessage(SmsMessageRecord m) => new()
    {
        MessageId = m.MessageId,
        Phone = m.Phone,
        Text = m.Text,
        Otp = m.Otp,
        Sender = m.Sender,
        SentAt = Timestamp.FromDateTimeOffset(m.SentAt),
        DeliveredAt = Timestamp.FromDateTimeOffset(m.DeliveredAt),
        Sequence = m.Sequence,
        CorrelationId = m.CorrelationId,
    };
}

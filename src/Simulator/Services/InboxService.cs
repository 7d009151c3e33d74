using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Calls;
using PaySim.Simulator.Sms;

namespace PaySim.Simulator.Services;

internal sealed class InboxService : Inbox.InboxBase
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);
    private readonly ISmsInbox _inbox;
    private readonly UnaryDoor<ListMessagesRequest, ListMessagesReply> _listMessages;
    private readonly UnaryDoor<WaitForMessageRequest, WaitForMessageReply> _waitForMessage;
    private readonly StreamingDoor<StreamMessagesRequest, SmsMessage> _streamMessages;

    public InboxService(ISmsInbox inbox, CallDoor door)
    {
        _inbox = inbox;
        _listMessages = door.Unary<ListMessagesRequest, ListMessagesReply>(nameof(ListMessages), ListMessagesCore);
        _waitForMessage = door.Unary<WaitForMessageRequest, WaitForMessageReply>(nameof(WaitForMessage), WaitForMessageCore);
        _streamMessages = door.Streaming<StreamMessagesRequest, SmsMessage>(nameof(StreamMessages), StreamMessagesCore);
    }

    public override Task<ListMessagesReply> ListMessages(ListMessagesRequest request, ServerCallContext context) => _listMessages.Call(request, context);

    public override Task<WaitForMessageReply> WaitForMessage(WaitForMessageRequest request, ServerCallContext context) => _waitForMessage.Call(request, context);

    public override Task StreamMessages(StreamMessagesRequest request, IServerStreamWriter<SmsMessage> responseStream, ServerCallContext context) => _streamMessages.Call(request, responseStream, context);

    private Task<ListMessagesReply> ListMessagesCore(ListMessagesRequest request, ServerCallContext context)
    {
        var reply = new ListMessagesReply();
        reply.Messages.AddRange(_inbox.List(request.Phone, request.Limit).Select(ToMessage));
        return Task.FromResult(reply);
    }

    private async Task<WaitForMessageReply> WaitForMessageCore(WaitForMessageRequest request, ServerCallContext context)
    {
        var kind = SmsKinds.ParseWanted(request.Kind)
            ?? throw new RpcException(new Status(StatusCode.InvalidArgument, $"kind '{request.Kind}' is not allowed; allowed: otp, transaction, any (empty = otp)"));
        var timeout = request.TimeoutMs > 0 ? TimeSpan.FromMilliseconds(request.TimeoutMs) : DefaultWait;
        var m = await _inbox.WaitAsync(request.Phone, request.AfterSequence, timeout, context.CancellationToken, kind).ConfigureAwait(false);
        return m is null ? new WaitForMessageReply { Found = false } : new WaitForMessageReply { Found = true, Message = ToMessage(m) };
    }

    private async Task StreamMessagesCore(StreamMessagesRequest request, IServerStreamWriter<SmsMessage> responseStream, ServerCallContext context)
    {
        var after = _inbox.LastSequence(request.Phone);
        var ct = context.CancellationToken;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var m = await _inbox.WaitAsync(request.Phone, after, Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false);
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
        Kind = string.IsNullOrEmpty(m.Kind) ? SmsKinds.Otp : m.Kind,
    };
}

using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Calls;
using PaySim.Simulator.Sms;

namespace PaySim.Simulator.Services;

internal sealed class InboxService : Inbox.InboxBase
{
    /// <summary>What <c>timeout_ms</c> 0 waits.</summary>
    public const int DefaultWaitMs = 10_000;

    /// <summary>The longest <c>WaitForMessage</c> wait (10 minutes); a longer <c>timeout_ms</c> is refused, not cut.</summary>
    public const int MaxWaitMs = 600_000;

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
        RequirePhone(request.Phone);
        if (request.Limit < 0)
        {
            throw Invalid($"limit '{request.Limit}' is not allowed; allowed: 0 (every message) or more");
        }

        var reply = new ListMessagesReply();
        reply.Messages.AddRange(_inbox.List(request.Phone, request.Limit).Select(ToMessage));
        return Task.FromResult(reply);
    }

    private async Task<WaitForMessageReply> WaitForMessageCore(WaitForMessageRequest request, ServerCallContext context)
    {
        FieldLimits.Check(request.Kind, "kind", FieldLimits.Short);
        var kind = SmsKinds.ParseWanted(request.Kind)
            ?? throw Invalid($"kind '{request.Kind}' is not allowed; allowed: otp, transaction, any (empty = otp)");
        RequirePhone(request.Phone);
        if (request.TimeoutMs is < 0 or > MaxWaitMs)
        {
            throw Invalid($"timeout_ms '{request.TimeoutMs}' is not allowed; allowed: 0 to {MaxWaitMs} (0 = {DefaultWaitMs})");
        }

        var timeout = TimeSpan.FromMilliseconds(request.TimeoutMs == 0 ? DefaultWaitMs : request.TimeoutMs);
        var m = await _inbox.WaitAsync(request.Phone, request.AfterSequence, timeout, context.CancellationToken, kind).ConfigureAwait(false);
        return m is null ? new WaitForMessageReply { Found = false } : new WaitForMessageReply { Found = true, Message = ToMessage(m) };
    }

    private async Task StreamMessagesCore(StreamMessagesRequest request, IServerStreamWriter<SmsMessage> responseStream, ServerCallContext context)
    {
        RequirePhone(request.Phone);
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

    /// <summary>As <c>SmsGateway.Send</c>: an inbox is read by its phone.</summary>
    private static void RequirePhone(string phone)
    {
        FieldLimits.Check(phone, "phone", FieldLimits.Short);
        if (string.IsNullOrWhiteSpace(phone))
        {
            throw Invalid("phone is required");
        }
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

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

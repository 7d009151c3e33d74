using Grpc.Core;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Calls;
using PaySim.Simulator.Sms;

namespace PaySim.Simulator.Services;

internal sealed class SmsGatewayService : PaySim.Contracts.Sms.V1.SmsGateway.SmsGatewayBase
{
    private readonly PaySim.Simulator.Sms.SmsGateway _gateway;
    private readonly UnaryDoor<SendRequest, SendReply> _send;

    public SmsGatewayService(PaySim.Simulator.Sms.SmsGateway gateway, CallDoor door)
    {
        _gateway = gateway;
        _send = door.Unary<SendRequest, SendReply>(nameof(Send), SendCore);
    }

    public override Task<SendReply> Send(SendRequest request, ServerCallContext context) => _send.Call(request, context);

    private Task<SendReply> SendCore(SendRequest request, ServerCallContext context)
    {
        FieldLimits.Check(request.Phone, "phone", FieldLimits.Short);
        FieldLimits.Check(request.Text, "text", FieldLimits.SmsText);
        FieldLimits.Check(request.Sender, "sender", FieldLimits.Short);
        FieldLimits.Check(request.CorrelationId, "correlation_id", FieldLimits.Short);
        FieldLimits.Check(request.Kind, "kind", FieldLimits.Short);
        FieldLimits.Check(request.Locale, "locale", FieldLimits.Short);
        if (string.IsNullOrWhiteSpace(request.Phone))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "phone is required"));
        }

        var kind = string.IsNullOrEmpty(request.Kind) ? SmsKinds.Otp : request.Kind;
        if (kind is not (SmsKinds.Otp or SmsKinds.Transaction))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"kind '{request.Kind}' is not allowed; allowed: otp, transaction (empty = otp)"));
        }

        var sender = string.IsNullOrEmpty(request.Sender) ? SmsText.Sender(request.Locale) : request.Sender;
        var o = _gateway.Send(request.Phone, request.Text, sender, request.CorrelationId, kind);
        return Task.FromResult(new SendReply { MessageId = o.MessageId, Accepted = o.Accepted, Status = o.Status });
    }
}

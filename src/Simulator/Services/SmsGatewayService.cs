using Grpc.Core;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Sms;

namespace PaySim.Simulator.Services;

internal sealed class SmsGatewayService(PaySim.Simulator.Sms.SmsGateway gateway) : PaySim.Contracts.Sms.V1.SmsGateway.SmsGatewayBase
{
    public override Task<SendReply> Send(SendRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Phone))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "phone is required"));
        }

        var sender = string.IsNullOrEmpty(request.Sender) ? SmsText.Sender(request.Locale) : request.Sender;
        var o = gateway.Send(request.Phone, request.Text, sender, request.CorrelationId);
        return Task.FromResult(new SendReply { MessageId = o.MessageId, Accepted = o.Accepted, Status = o.Status });
    }
}

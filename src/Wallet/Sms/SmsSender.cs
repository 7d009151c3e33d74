using Grpc.Net.Client;
using PaySim.Contracts.Sms.V1;

namespace PaySim.Wallet.Sms;

/// <summary>The wallet's own texts (password reset codes) through the simulator's SMS gateway (<c>SmsGateway.Send</c>).</summary>
internal sealed class SmsSender(Uri gateway) : IDisposable
{
    public const string Sender = "PaySim Wallet";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(gateway);

    /// <summary>Sends one text; the gateway's status (<c>queued</c>, <c>dropped</c>, <c>unreachable</c>) is returned.</summary>
    public async Task<string> SendAsync(string phone, string text, string correlationId, CancellationToken ct)
    {
        var client = new SmsGateway.SmsGatewayClient(_channel);
        var reply = await client.SendAsync(
            new SendRequest { Phone = phone, Text = text, Sender = Sender, Locale = "en", CorrelationId = correlationId },
            deadline: DateTime.UtcNow + Deadline, // a network deadline: real time, whatever clock the wallet runs on
            cancellationToken: ct);
        return reply.Status;
    }

    public void Dispose() => _channel.Dispose();
}

using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using PaySim.Contracts.Sms.V1;

namespace PaySim.LoadTests.SimulatorControl;

/// <summary>
/// Reads OTPs the way a user reads their phone: from the SMS gateway's inbox for the card's reserved
/// phone. Remembers the last message seen per phone so an old code is never typed twice.
/// </summary>
internal sealed class OtpReader : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Inbox.InboxClient _inbox;
    private readonly ConcurrentDictionary<string, long> _lastSequence = new(StringComparer.Ordinal);

    public OtpReader(Uri smsUri)
    {
        _channel = GrpcChannel.ForAddress(smsUri, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, UseProxy = false },
        });
        _inbox = new Inbox.InboxClient(_channel);
    }

    /// <summary>Call before the binding starts, so the wait ignores messages that were already there.</summary>
    public async Task PrepareAsync(string phone, CancellationToken cancellationToken)
    {
        if (_lastSequence.ContainsKey(phone))
        {
            return;
        }

        var list = await _inbox.ListMessagesAsync(new ListMessagesRequest { Phone = phone }, cancellationToken: cancellationToken).ConfigureAwait(false);
        _lastSequence.TryAdd(phone, list.Messages.Count == 0 ? 0 : list.Messages.Max(m => m.Sequence));
    }

    /// <summary>The next OTP delivered to <paramref name="phone"/>, or null if none arrives within <paramref name="timeout"/>.</summary>
    public async Task<string?> WaitForOtpAsync(string phone, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var after = _lastSequence.GetValueOrDefault(phone);

        // The gateway answers "not found" at the timeout; the local bound only guards against a gateway that never answers.
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(timeout + TimeSpan.FromSeconds(2));
        WaitForMessageReply reply;
        try
        {
            reply = await _inbox.WaitForMessageAsync(
                new WaitForMessageRequest { Phone = phone, TimeoutMs = (int)timeout.TotalMilliseconds, AfterSequence = after },
                cancellationToken: guard.Token).ConfigureAwait(false);
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            // An inbox that cannot be read is, for the user, an SMS that never came.
            return null;
        }
        if (!reply.Found)
        {
            return null;
        }

        _lastSequence.AddOrUpdate(phone, reply.Message.Sequence, (_, old) => Math.Max(old, reply.Message.Sequence));
        return string.IsNullOrEmpty(reply.Message.Otp) ? null : reply.Message.Otp;
    }

    public void Dispose() => _channel.Dispose();
}

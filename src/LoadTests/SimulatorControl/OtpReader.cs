using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Services;

namespace PaySim.LoadTests.SimulatorControl;

/// <summary>
/// Reads OTPs the way a user reads their phone: from the SMS gateway's inbox for the card's reserved
/// phone. Remembers the last message seen per phone so an old code is never typed twice.
/// </summary>
internal sealed class OtpReader : IDisposable
{
    private const int MaxRounds = 16;
    private const int ListLimit = 20;

    /// <summary>A pre-bound card's inbox also gets a transaction notice per capture: look further back for a challenge's code.</summary>
    private const int StepUpListLimit = 100;

    /// <summary>The inbox's kind filter for verification codes (binding and payment step-up), never transaction notices.</summary>
    private const string Otp = "otp";

    private readonly GrpcChannel _channel;
    private readonly Inbox.InboxClient _inbox;
    private readonly ConcurrentDictionary<string, long> _lastSequence = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public OtpReader(Uri smsUri, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
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

    /// <summary>
    /// The next OTP delivered to <paramref name="phone"/> within <paramref name="timeout"/>, or null.
    /// With <paramref name="newest"/> the code is the one the issuer sent last among all that have arrived,
    /// not the first to arrive: after a resend the issuer keeps only the newest code, and a late SMS of the
    /// void one may land first or at the same time. Messages sent no later than <paramref name="sentAfter"/>
    /// (a code already typed) are passed over and the wait goes on.
    /// </summary>
    public async Task<OtpMessage?> WaitForOtpAsync(string phone, TimeSpan timeout, bool newest, DateTimeOffset? sentAfter, CancellationToken cancellationToken)
    {
        var deadline = _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);

        // Each round consumes at least one new message, and a phone receives a handful per binding.
        for (var round = 0; round < MaxRounds; round++)
        {
            var remaining = TimeSpan.FromSeconds((deadline - _time.GetTimestamp()) / (double)_time.TimestampFrequency);
            if (remaining < TimeSpan.FromMilliseconds(1))
            {
                return null;
            }

            var after = _lastSequence.GetValueOrDefault(phone);
            var arrived = await WaitForMessageAsync(phone, after, remaining, cancellationToken).ConfigureAwait(false);
            if (arrived is null)
            {
                await WaitOutAsync(deadline, cancellationToken).ConfigureAwait(false);
                return null;
            }

            var candidates = new List<SmsMessage> { arrived };
            if (newest)
            {
                candidates.AddRange(await ListAfterAsync(phone, after, cancellationToken).ConfigureAwait(false));
            }

            _lastSequence.AddOrUpdate(phone, candidates.Max(m => m.Sequence), (_, old) => Math.Max(old, candidates.Max(m => m.Sequence)));
            var pick = candidates
                .Where(m => !string.IsNullOrEmpty(m.Otp))
                .Select(m => new OtpMessage(m.Otp, m.SentAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue, m.Sequence))
                .Where(m => sentAfter is null || m.SentAt > sentAfter)
                .OrderByDescending(m => m.SentAt)
                .ThenByDescending(m => m.Sequence)
                .FirstOrDefault();
            if (pick is not null)
            {
                return pick;
            }
        }

        return null;
    }

    /// <summary>
    /// The newest step-up code for <paramref name="correlationId"/> (the payment's challenge; null: any code) delivered
    /// to <paramref name="phone"/> within <paramref name="timeout"/>, sent after <paramref name="sentAfter"/>, or null.
    /// A pre-bound card's phone is shared by the run's payments, so the wait reads only OTP messages of its own
    /// challenge and keeps its place to itself (it never moves the binding waits' last-seen mark).
    /// </summary>
    public async Task<OtpMessage?> WaitForCodeAsync(string phone, string? correlationId, TimeSpan timeout, DateTimeOffset? sentAfter, CancellationToken cancellationToken)
    {
        var deadline = _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency);
        bool Mine(SmsMessage m) => m.Kind is "" or Otp && !string.IsNullOrEmpty(m.Otp)
            && (correlationId is null || m.CorrelationId == correlationId)
            && (sentAfter is null || (m.SentAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue) > sentAfter);
        static OtpMessage Code(SmsMessage m) => new(m.Otp, m.SentAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue, m.Sequence);

        // The code may have arrived before the wait began: the newest messages first.
        var recent = await ListAfterAsync(phone, 0, cancellationToken, StepUpListLimit).ConfigureAwait(false);
        if (recent.Where(Mine).OrderByDescending(m => m.SentAt).ThenByDescending(m => m.Sequence).FirstOrDefault() is { } there)
        {
            return Code(there);
        }

        var after = recent.Select(m => m.Sequence).DefaultIfEmpty(0).Max();
        while (true)
        {
            var remaining = TimeSpan.FromSeconds((deadline - _time.GetTimestamp()) / (double)_time.TimestampFrequency);
            if (remaining < TimeSpan.FromMilliseconds(1))
            {
                return null;
            }

            if (await WaitForMessageAsync(phone, after, remaining, cancellationToken).ConfigureAwait(false) is not { } arrived)
            {
                await WaitOutAsync(deadline, cancellationToken).ConfigureAwait(false);
                return null;
            }

            after = Math.Max(after, arrived.Sequence);
            if (Mine(arrived))
            {
                return Code(arrived);
            }
        }
    }

    private async Task<IEnumerable<SmsMessage>> ListAfterAsync(string phone, long after, CancellationToken cancellationToken, int limit = ListLimit)
    {
        try
        {
            var list = await _inbox.ListMessagesAsync(new ListMessagesRequest { Phone = phone, Limit = limit }, cancellationToken: cancellationToken).ConfigureAwait(false);
            return list.Messages.Where(m => m.Sequence > after);
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            // Without the list the message that woke the wait is the best the user has.
            return [];
        }
    }

    private async Task<SmsMessage?> WaitForMessageAsync(string phone, long after, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The gateway answers "not found" at the timeout; the local bound only guards against a gateway that never answers.
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(timeout + TimeSpan.FromSeconds(2));
        try
        {
            var reply = await _inbox.WaitForMessageAsync(
                new WaitForMessageRequest { Phone = phone, TimeoutMs = (int)Math.Clamp(Math.Ceiling(timeout.TotalMilliseconds), 1, InboxService.MaxWaitMs), AfterSequence = after, Kind = Otp },
                cancellationToken: guard.Token).ConfigureAwait(false);
            return reply.Found ? reply.Message : null;
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            // An inbox that cannot be read is, for the user, an SMS that never came.
            return null;
        }
    }

    /// <summary>
    /// A wait that found nothing ends at its deadline by this reader's clock, never before: the inbox's "not found"
    /// may come early (its timer, a timeout cut to whole milliseconds) and a failed read comes at once, yet a caller
    /// waiting out a retry-after asks again as soon as this returns.
    /// </summary>
    private async Task WaitOutAsync(long deadline, CancellationToken cancellationToken)
    {
        while (deadline - _time.GetTimestamp() is var left && left > 0)
        {
            var ms = Math.Ceiling(left * 1000.0 / _time.TimestampFrequency);
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, ms)), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _channel.Dispose();
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using PaySim.Simulator.Sms;
using StackExchange.Redis;

namespace PaySim.Simulator.State.Redis;

/// <summary>
/// One Redis list per phone ("sequence|json" entries) and an INCR counter for the per-phone sequence.
/// Delivery publishes the phone on a channel of the cluster; a waiter in any process is woken by that
/// message and re-reads the list. Pub/sub is the signal, not the data: if a notification is lost
/// (reconnect) the waiter still re-reads every <see cref="RedisStateOptions.PollInterval"/> of the injected
/// TimeProvider, so a message is never missed, only noticed later.
/// </summary>
internal sealed class RedisSmsInbox : ISmsInbox
{
    private const string DeliverScript = """
        local seq = redis.call('INCR', KEYS[1])
        redis.call('RPUSH', KEYS[2], seq .. '|' .. ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        redis.call('PEXPIRE', KEYS[2], ARGV[2])
        redis.call('PUBLISH', ARGV[3], ARGV[4])
        return seq
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly TimeProvider _time;
    private readonly RedisStateOptions _options;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);

    public RedisSmsInbox(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time, RedisStateOptions options)
    {
        _redis = redis;
        _keys = keys;
        _time = time;
        _options = options;
        _redis.GetSubscriber().Subscribe(keys.InboxDelivered, (_, phone) => Pulse((string?)phone ?? ""));
    }

    private IDatabase Db => _redis.GetDatabase();

    public SmsMessageRecord Deliver(string messageId, string phone, string text, string sender, string correlationId, DateTimeOffset sentAt, DateTimeOffset deliveredAt, string kind = SmsKinds.Otp)
    {
        var record = new SmsMessageRecord(messageId, phone, text, kind == SmsKinds.Otp ? SmsText.ParseOtp(text) : "", sender, sentAt, deliveredAt, 0, correlationId, kind);
        var seq = (long)Db.ScriptEvaluate(DeliverScript, [_keys.InboxSequence(phone), _keys.Inbox(phone)],
        [
            JsonSerializer.Serialize(record), (long)_options.Retention.TotalMilliseconds, _keys.InboxDelivered.ToString(), phone,
        ]);
        // Waiters in this process need not wait for the pub/sub round trip.
        Pulse(phone);
        return record with { Sequence = seq };
    }

    public IReadOnlyList<SmsMessageRecord> List(string phone, int limit = 0)
    {
        var raw = limit > 0 ? Db.ListRange(_keys.Inbox(phone), -limit, -1) : Db.ListRange(_keys.Inbox(phone));
        return raw.Select(v => Parse(v!)).ToArray();
    }

    public long LastSequence(string phone)
    {
        var v = Db.StringGet(_keys.InboxSequence(phone));
        return v.IsNull ? 0 : (long)v;
    }

    public async Task<SmsMessageRecord?> WaitAsync(string phone, long afterSequence, TimeSpan timeout, CancellationToken cancellationToken, string kind = SmsKinds.Any)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var deadline = Task.Delay(timeout, _time, cts.Token);
        try
        {
            while (true)
            {
                // Take the signal before reading, so a delivery between the read and the wait still wakes us.
                var signal = _signals.GetOrAdd(phone, static _ => NewSignal()).Task;
                var found = await FirstAfterAsync(phone, afterSequence, kind).ConfigureAwait(false);
                if (found is not null)
                {
                    return found;
                }

                var poll = Task.Delay(_options.PollInterval, _time, cts.Token);
                var done = await Task.WhenAny(signal, deadline, poll).ConfigureAwait(false);
                if (done == deadline)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return await FirstAfterAsync(phone, afterSequence, kind).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await cts.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Empties the inboxes of this cluster; the sequences go on, as in memory, so waiters keep their place.</summary>
    public void Clear() => RedisKeyspace.Delete(_redis, _keys.Pattern("sms:"));

    private async Task<SmsMessageRecord?> FirstAfterAsync(string phone, long afterSequence, string kind)
    {
        var raw = await Db.ListRangeAsync(_keys.Inbox(phone)).ConfigureAwait(false);
        foreach (var v in raw)
        {
            var m = Parse(v!);
            if (m.Sequence > afterSequence && SmsKinds.Matches(m.Kind, kind))
            {
                return m;
            }
        }

        return null;
    }

    private void Pulse(string phone)
    {
        if (_signals.TryRemove(phone, out var signal))
        {
            signal.TrySetResult();
        }
    }

    private static SmsMessageRecord Parse(string entry)
    {
        var bar = entry.IndexOf('|', StringComparison.Ordinal);
        var seq = long.Parse(entry.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture);
        var record = JsonSerializer.Deserialize<SmsMessageRecord>(entry.AsSpan(bar + 1))!;
        return record with { Sequence = seq };
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

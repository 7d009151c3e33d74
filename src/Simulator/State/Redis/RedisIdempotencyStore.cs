using System.Text.Json;
using PaySim.Simulator.Idempotency;
using StackExchange.Redis;

namespace PaySim.Simulator.State.Redis;

/// <summary>
/// At most once per (scope, key) across every process on the cluster. The first caller claims the key
/// in Lua (fingerprint + "pending" + a lease), runs the operation, stores the JSON result and publishes
/// on a channel; other callers with the same fingerprint wait for the result (woken by pub/sub, with a
/// bounded re-check interval in case a notification is lost), callers with another fingerprint are refused.
/// A claim whose owner vanished (lease expired) is taken over, so a crashed process does not wedge the key.
/// </summary>
internal sealed class RedisIdempotencyStore : IIdempotencyStore
{
    private const string ClaimScript = """
        local e = redis.call('HMGET', KEYS[1], 'fp', 'state', 'val')
        if not e[1] then
          redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'state', 'pending', 'owner', ARGV[2])
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
          redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
          return {'claimed'}
        end
        if e[1] ~= ARGV[1] then return {'reused'} end
        if e[2] == 'done' then return {'done', e[3]} end
        if redis.call('EXISTS', KEYS[2]) == 0 then
          redis.call('HSET', KEYS[1], 'owner', ARGV[2])
          redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
          return {'claimed'}
        end
        return {'pending'}
        """;

    private const string CompleteScript = """
        if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], 'state', 'done', 'val', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('DEL', KEYS[2])
        redis.call('PUBLISH', ARGV[4], ARGV[5])
        return 1
        """;

    private const string AbandonScript = """
        if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[1], KEYS[2])
        redis.call('PUBLISH', ARGV[2], ARGV[3])
        return 1
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly RedisStateOptions _options;
    private readonly object _gate = new();
    private TaskCompletionSource _signal = NewSignal();
    private long _claims;

    public RedisIdempotencyStore(IConnectionMultiplexer redis, RedisKeys keys, RedisStateOptions options)
    {
        _redis = redis;
        _keys = keys;
        _options = options;
        _redis.GetSubscriber().Subscribe(keys.IdempotencyDone, (_, _) => Pulse());
    }

    /// <summary>Unique per store instance, so a claim names the process (and instance) that owns it.</summary>
    private string OwnerPrefix { get; } = Environment.ProcessId + "-" + Guid.NewGuid().ToString("N") + "-";

    private IDatabase Db => _redis.GetDatabase();

    public IdempotentResult<T> Run<T>(string scope, string key, string fingerprint, Func<T> operation) where T : class
    {
        if (string.IsNullOrEmpty(key))
        {
            return new IdempotentResult<T>(operation(), false, false);
        }

        var entry = _keys.Idempotency(scope, key);
        var lease = _keys.IdempotencyLease(scope, key);
        var owner = OwnerPrefix + Interlocked.Increment(ref _claims);
        // Coordination deadlines bound real waiting between processes, so they use the wall clock on purpose.
        var deadline = TimeProvider.System.GetTimestamp() + (long)(_options.IdempotencyWait.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                signal = _signal.Task;
            }

            var r = RedisKeyspace.Array(Db.ScriptEvaluate(ClaimScript, [entry, lease],
                [fingerprint ?? "", owner, (long)_options.IdempotencyLease.TotalMilliseconds, (long)_options.Retention.TotalMilliseconds]));
            switch ((string?)r[0])
            {
                case "reused":
                    return new IdempotentResult<T>(null, true, true);
                case "done":
                    return new IdempotentResult<T>(JsonSerializer.Deserialize<T>((string)r[1]!), false, true);
                case "claimed":
                    return new IdempotentResult<T>(RunClaimed(entry, lease, owner, operation), false, false);
            }

            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"idempotency key '{key}' ({scope}) is still being processed by another node after {_options.IdempotencyWait.TotalSeconds:0}s");
            }

            signal.Wait(_options.PollInterval);
        }
    }

    public void Clear() => RedisKeyspace.Delete(_redis, _keys.Pattern("idem:"));

    private T RunClaimed<T>(RedisKey entry, RedisKey lease, string owner, Func<T> operation) where T : class
    {
        T value;
        try
        {
            value = operation();
        }
        catch
        {
            // Let the next caller try again instead of waiting for a result that will never come.
            Db.ScriptEvaluate(AbandonScript, [entry, lease], [owner, _keys.IdempotencyDone.ToString(), (string)entry!]);
            throw;
        }

        Db.ScriptEvaluate(CompleteScript, [entry, lease],
        [
            owner, JsonSerializer.Serialize(value), (long)_options.Retention.TotalMilliseconds, _keys.IdempotencyDone.ToString(), (string)entry!,
        ]);
        return value;
    }

    private void Pulse()
    {
        TaskCompletionSource fired;
        lock (_gate)
        {
            fired = _signal;
            _signal = NewSignal();
        }

        fired.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

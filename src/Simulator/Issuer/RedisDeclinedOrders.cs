using PaySim.Simulator.State.Redis;
using StackExchange.Redis;

namespace PaySim.Simulator.Issuer;

/// <summary>
/// <see cref="DeclinedOrders"/> for a cluster of simulator processes on one Redis: a reattempt sent to another process
/// than the one that declined the order counts too, and <see cref="Reattempts"/> is the cluster's count.
/// <list type="bullet">
/// <item>A declined order is a hash <c>decl:&lt;token&gt;\x1f&lt;merchant&gt;\x1f&lt;order&gt;</c> (field <c>o</c>, and <c>k:&lt;key&gt;</c> for
/// each of its declined keys, at most <see cref="DeclinedOrders.KeysPerOrder"/>), kept for <see cref="RedisStateOptions.Retention"/>.</item>
/// <item>A decline is one script before the reply goes out (remember, count when it re-sent a declined order, and
/// publish <c>order-declined</c> the first time an order is declined), so any process the next attempt reaches finds it;
/// the gRPC path awaits it (<see cref="ObserveAsync"/>) rather than holding a thread for the round trip.</item>
/// <item>An answer that is not a decline costs nothing until this process knows the cluster has declined something
/// (its own decline, the channel, or <c>cnt:declined-orders</c> above 0 when it started); after that, the same script
/// fire-and-forget (no wait on the load path), which counts when the order was declined and the key is new.</item>
/// </list>
/// The count is read at the end of a run, after the settle window; Reset (any process) deletes the records and the count.
/// </summary>
internal sealed class RedisDeclinedOrders : IDeclinedOrders
{
    // KEYS: order hash, reattempt counter, declined-order counter. ARGV: key ('' = none), declined (1/0), keys per order, retention ms, channel.
    private const string ObserveScript = """
        local known = redis.call('EXISTS', KEYS[1]) == 1
        if not known and ARGV[2] == '0' then return 0 end
        local field = 'k:' .. ARGV[1]
        local counted = 0
        if known and (ARGV[1] == '' or redis.call('HEXISTS', KEYS[1], field) == 0) then
          redis.call('INCR', KEYS[2])
          counted = 1
        end
        if ARGV[2] == '1' then
          if not known then
            redis.call('HSET', KEYS[1], 'o', 1)
            redis.call('INCR', KEYS[3])
            redis.call('PUBLISH', ARGV[5], '1')
          end
          if ARGV[1] ~= '' and redis.call('HLEN', KEYS[1]) <= tonumber(ARGV[3]) then
            redis.call('HSET', KEYS[1], field, 1)
          end
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
        end
        return counted
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly RedisStateOptions _options;
    private volatile bool _clusterDeclined;

    public RedisDeclinedOrders(IConnectionMultiplexer redis, RedisKeys keys, RedisStateOptions options)
    {
        _redis = redis;
        _keys = keys;
        _options = options;
        _redis.GetSubscriber().Subscribe(keys.OrderDeclined, (_, _) => _clusterDeclined = true);
        _clusterDeclined = (long?)Db.StringGet(keys.DeclinedOrderCount) > 0;
    }

    public long Reattempts => (long?)Db.StringGet(_keys.DeclinedReattempts) ?? 0;

    private IDatabase Db => _redis.GetDatabase();

    public void Observe(string? cardToken, string? merchantId, string? orderReference, string? idempotencyKey, string responseCode)
    {
        if (Prepare(cardToken, merchantId, orderReference, idempotencyKey, responseCode) is { } call)
        {
            // A decline before the reply: the next attempt may reach another process at once, and it must find the order.
            Db.ScriptEvaluate(ObserveScript, call.Keys, call.Args, call.Declined ? CommandFlags.None : CommandFlags.FireAndForget);
        }
    }

    public ValueTask ObserveAsync(string? cardToken, string? merchantId, string? orderReference, string? idempotencyKey, string responseCode)
    {
        if (Prepare(cardToken, merchantId, orderReference, idempotencyKey, responseCode) is not { } call)
        {
            return ValueTask.CompletedTask;
        }

        if (!call.Declined)
        {
            Db.ScriptEvaluate(ObserveScript, call.Keys, call.Args, CommandFlags.FireAndForget);
            return ValueTask.CompletedTask;
        }

        return new ValueTask(Db.ScriptEvaluateAsync(ObserveScript, call.Keys, call.Args));
    }

    /// <summary>The script call an answer needs, or null when it needs none (no order, or nothing declined yet).</summary>
    private ObserveCall? Prepare(string? cardToken, string? merchantId, string? orderReference, string? idempotencyKey, string responseCode)
    {
        if (string.IsNullOrEmpty(orderReference))
        {
            return null;
        }

        var declined = DeclinedOrders.IsDecline(responseCode);
        if (!declined && !_clusterDeclined)
        {
            return null;
        }

        if (declined)
        {
            _clusterDeclined = true;
        }

        return new ObserveCall(
            [_keys.DeclinedOrder(cardToken ?? "", merchantId ?? "", orderReference), _keys.DeclinedReattempts, _keys.DeclinedOrderCount],
            [idempotencyKey ?? "", declined ? 1 : 0, DeclinedOrders.KeysPerOrder, (long)_options.Retention.TotalMilliseconds, _keys.OrderDeclinedName],
            declined);
    }

    /// <summary>Deletes the cluster's declined orders and both counters (the flag stays: it only saves a call).</summary>
    public void Clear()
    {
        RedisKeyspace.Delete(_redis, _keys.Pattern("decl:"));
        Db.KeyDelete([_keys.DeclinedReattempts, _keys.DeclinedOrderCount]);
    }

    private sealed record ObserveCall(RedisKey[] Keys, RedisValue[] Args, bool Declined);
}

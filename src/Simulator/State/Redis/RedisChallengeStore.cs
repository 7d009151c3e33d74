using System.Text.Json;
using PaySim.Simulator.Challenges;
using StackExchange.Redis;

namespace PaySim.Simulator.State.Redis;

/// <summary>One hash per payment challenge: its JSON, and the done and dead flags each set once in a Lua step.</summary>
internal sealed class RedisChallengeStore(IConnectionMultiplexer redis, RedisKeys keys, TimeSpan retention) : IChallengeStore
{
    private const string CompleteScript = """
        local f = redis.call('HMGET', KEYS[1], 'json', 'done', 'dead')
        if not f[1] or f[2] or f[3] then return 0 end
        redis.call('HSET', KEYS[1], 'done', '1')
        return 1
        """;

    private const string KillScript = """
        local f = redis.call('HMGET', KEYS[1], 'json', 'done')
        if f[1] and not f[2] then redis.call('HSET', KEYS[1], 'dead', '1') end
        return 0
        """;

    private IDatabase Db => redis.GetDatabase();

    public void Add(PaymentChallenge challenge, TimeSpan keepFor)
    {
        var key = keys.Challenge(challenge.Id);
        var batch = Db.CreateTransaction();
        _ = batch.HashSetAsync(key, "json", JsonSerializer.Serialize(challenge));
        _ = batch.KeyExpireAsync(key, keepFor + retention);
        batch.Execute();
    }

    public PaymentChallenge? Get(string challengeId)
    {
        var f = Db.HashGet(keys.Challenge(challengeId ?? ""), ["json", "done", "dead"]);
        if (f[0].IsNull)
        {
            return null;
        }

        return JsonSerializer.Deserialize<PaymentChallenge>((string)f[0]!)! with { Completed = !f[1].IsNull, Dead = !f[2].IsNull };
    }

    public bool TryComplete(string challengeId) => (long)Db.ScriptEvaluate(CompleteScript, [keys.Challenge(challengeId)]) == 1;

    public void MarkDead(string challengeId) => Db.ScriptEvaluate(KillScript, [keys.Challenge(challengeId)]);

    public void Clear() => RedisKeyspace.Delete(redis, keys.Pattern("chl:"));
}

using PaySim.Simulator.Binding;
using StackExchange.Redis;

namespace PaySim.Simulator.State.Redis;

/// <summary>
/// Bindings as hashes and tokens as strings. Neither expires: a card token must keep working for
/// as long as the in-memory one would (until Reset). Found tokens are cached per process
/// (<see cref="RedisTokenCache"/>, checked again by the ledger's hold script).
/// </summary>
internal sealed class RedisBindingStore(IConnectionMultiplexer redis, RedisKeys keys, RedisTokenCache tokens) : IBindingStore
{
    // The first confirmation wins the token, exactly like the in-memory store's lock on the record.
    // A token or binding id minted twice (two processes on the same random seed) must not silently
    // re-point a card: it is refused instead, and the caller throws with the likely cause.
    private const string ConfirmScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return false end
        if redis.call('HSETNX', KEYS[1], 'token', ARGV[1]) == 1 then
          if not redis.call('SET', ARGV[2] .. ARGV[1], redis.call('HGET', KEYS[1], 'pan'), 'NX') then
            redis.call('HDEL', KEYS[1], 'token')
            return {err = 'token ' .. ARGV[1] .. ' already exists'}
          end
          redis.call('HSET', KEYS[1], 'code', ARGV[3])
        end
        return redis.call('HMGET', KEYS[1], 'token', 'code')
        """;

    private const string AddScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'pan', ARGV[1], 'created', ARGV[2])
        return 1
        """;

    private const string Collision = "two simulator processes minted the same id; give every process its own random seed (cardholders still come from the shared seed)";

    private IDatabase Db => redis.GetDatabase();

    public void Add(BindingRecord binding)
    {
        var added = (long)Db.ScriptEvaluate(AddScript, [keys.Binding(binding.Id)], [binding.Pan, binding.CreatedAt.ToUnixTimeMilliseconds()]);
        if (added == 0)
        {
            throw new InvalidOperationException($"binding {binding.Id} already exists: {Collision}");
        }

        if (binding.CardToken is not null)
        {
            Confirm(binding, binding.CardToken, binding.ConfirmedCode ?? "");
        }
    }

    public BindingRecord? Get(string bindingId)
    {
        if (string.IsNullOrEmpty(bindingId))
        {
            return null;
        }

        var v = Db.HashGet(keys.Binding(bindingId), ["pan", "created", "token", "code"]);
        if (v[0].IsNull)
        {
            return null;
        }

        return new BindingRecord(bindingId, v[0]!, DateTimeOffset.FromUnixTimeMilliseconds((long)v[1]))
        {
            CardToken = v[2].IsNull ? null : (string?)v[2],
            ConfirmedCode = v[3].IsNull ? null : (string?)v[3],
        };
    }

    public string Confirm(BindingRecord binding, string newToken, string code)
    {
        RedisResult result;
        try
        {
            result = Db.ScriptEvaluate(ConfirmScript, [keys.Binding(binding.Id)], [newToken, keys.Root + "tok:", code]);
        }
        catch (RedisServerException e) when (e.Message.Contains("already exists", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"card token {newToken} already exists: {Collision}", e);
        }

        if (result.IsNull)
        {
            // The binding was cleared by a Reset between Get and Confirm, as in memory the record still confirms.
            if (binding.CardToken is null)
            {
                binding.CardToken = newToken;
                binding.ConfirmedCode = code;
            }

            return binding.CardToken;
        }

        var r = RedisKeyspace.Array(result);
        binding.CardToken = (string)r[0]!;
        binding.ConfirmedCode = (string?)r[1];
        return binding.CardToken;
    }

    public string? ResolveToken(string cardToken) =>
        string.IsNullOrEmpty(cardToken) ? null
        : tokens.TryGet(cardToken, out var entry) ? entry.Pan
        : ResolveTokenUncached(cardToken);

    public string? ResolveTokenUncached(string cardToken)
    {
        if (string.IsNullOrEmpty(cardToken))
        {
            return null;
        }

        // One MGET, so the epoch is the one the token was read under: Reset deletes tokens before it
        // increments the epoch, so a token read here is never tagged with an epoch that came after its deletion.
        var v = Db.StringGet([keys.Token(cardToken), keys.ResetEpoch]);
        if (v[0].IsNull)
        {
            tokens.Remove(cardToken);
            return null;
        }

        var pan = (string)v[0]!;
        tokens.Add(cardToken, pan, v[1].IsNull ? "0" : (string)v[1]!);
        return pan;
    }

    public void Clear()
    {
        RedisKeyspace.Delete(redis, keys.Pattern("bnd:"));
        RedisKeyspace.Delete(redis, keys.Pattern("tok:"));
        tokens.Clear();
    }
}

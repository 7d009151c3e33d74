using PaySim.Simulator.State.Redis;
using StackExchange.Redis;

namespace PaySim.Simulator.Risk;

/// <summary>
/// One sorted set per card (score: microseconds of the caller's TimeProvider, so FakeTimeProvider drives the
/// windows). The check and the record are one Lua script, so two processes cannot both slip under a limit.
/// </summary>
internal sealed class RedisRiskWindows(IConnectionMultiplexer redis, RedisKeys keys) : IRiskWindows
{
    private const string AdmitScript = """
        local now = tonumber(ARGV[1])
        local amount = tonumber(ARGV[2])
        local merchant = ARGV[3]
        local longest = tonumber(ARGV[12])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - longest))
        local entries = {}
        for _, e in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          local at, amt, m = string.match(e, '^(%d+)|%d+|(%d+)|(.*)$')
          table.insert(entries, {tonumber(at), tonumber(amt), m})
        end
        local function exceeded(kind, limit, window)
          if window <= 0 then return false end
          local since = now - window
          local count, sum = 0, 0
          for _, e in ipairs(entries) do
            if e[1] > since then
              if kind == 'repeat' and e[2] == amount and e[3] == merchant then return true end
              count = count + 1
              sum = sum + e[2]
            end
          end
          if kind == 'velocity' then return count + 1 > limit end
          if kind == 'amount' then return sum + amount > limit end
          return false
        end
        local rules = {
          {'repeat', 0, tonumber(ARGV[4]), ARGV[5]},
          {'velocity', tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8]},
          {'amount', tonumber(ARGV[9]), tonumber(ARGV[10]), ARGV[11]},
        }
        local challenge = ''
        for _, r in ipairs(rules) do
          if exceeded(r[1], r[2], r[3]) then
            if r[4] == 'decline' then return r[1] end
            if challenge == '' then challenge = r[1] end
          end
        end
        local n = redis.call('INCR', KEYS[2])
        redis.call('ZADD', KEYS[1], ARGV[1], ARGV[1] .. '|' .. n .. '|' .. ARGV[2] .. '|' .. merchant)
        redis.call('PEXPIRE', KEYS[1], ARGV[13])
        return challenge
        """;

    private IDatabase Db => redis.GetDatabase();

    public string? Admit(string pan, long amountMinor, string merchantId, DateTimeOffset now, RiskRules rules)
    {
        var longest = rules.LongestWindow;
        var fired = (string?)Db.ScriptEvaluate(AdmitScript, [keys.RiskWindow(pan), keys.RiskSequence],
        [
            Micros(now), amountMinor, merchantId ?? "",
            Micros(rules.Repeat?.Window ?? TimeSpan.Zero), Action(rules.Repeat),
            rules.Velocity?.Limit ?? 0, Micros(rules.Velocity?.Window ?? TimeSpan.Zero), Action(rules.Velocity),
            rules.Amount?.Limit ?? 0, Micros(rules.Amount?.Window ?? TimeSpan.Zero), Action(rules.Amount),
            Micros(longest), (long)Math.Max(1, longest.TotalMilliseconds),
        ]);
        return string.IsNullOrEmpty(fired) ? null : fired;
    }

    public void Clear() => RedisKeyspace.Delete(redis, keys.Pattern("risk:"));

    private static string Action(RiskRule? rule) => rule?.Action == RiskAction.Challenge ? "challenge" : "decline";

    private static long Micros(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static long Micros(TimeSpan t) => t.Ticks / 10;
}

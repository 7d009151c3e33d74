using PaySim.Simulator.Binding;
using StackExchange.Redis;

namespace PaySim.Simulator.State.Redis;

/// <summary>
/// One OTP hash per binding. Validity, cooldown and attempts are decided in Lua against the caller's
/// TimeProvider "now" (microseconds since the epoch), so FakeTimeProvider drives them; the Redis TTL only
/// collects entries long after they stopped mattering.
/// </summary>
internal sealed class RedisOtpStore(IConnectionMultiplexer redis, RedisKeys keys, OtpOptions options, TimeSpan retention) : IOtpStore
{
    private const string IssueScript = """
        local e = redis.call('HMGET', KEYS[1], 'code', 'sent')
        local now = tonumber(ARGV[2])
        local cooldown = tonumber(ARGV[3])
        if e[1] and e[1] ~= '' and now - tonumber(e[2]) < cooldown then
          return string.format('%.0f', cooldown - (now - tonumber(e[2])))
        end
        redis.call('HSET', KEYS[1], 'code', ARGV[1], 'sent', ARGV[2], 'exp', string.format('%.0f', now + tonumber(ARGV[4])), 'left', ARGV[5], 'ok', '0')
        redis.call('PEXPIRE', KEYS[1], ARGV[6])
        return '-1'
        """;

    private const string VerifyScript = """
        local e = redis.call('HMGET', KEYS[1], 'code', 'exp', 'left', 'ok')
        if not e[1] or e[1] == '' then return {'unknown', 0} end
        if e[4] == '1' then
          if e[1] == ARGV[1] then return {'accepted', 0} end
          return {'used', 0}
        end
        local left = tonumber(e[3])
        if left <= 0 then return {'exceeded', 0} end
        if tonumber(ARGV[2]) >= tonumber(e[2]) then return {'expired', left} end
        if e[1] == ARGV[1] then
          redis.call('HSET', KEYS[1], 'ok', '1', 'left', 0)
          return {'accepted', 0}
        end
        left = left - 1
        redis.call('HSET', KEYS[1], 'left', left)
        if left == 0 then return {'exceeded', 0} end
        return {'wrong', left}
        """;

    private IDatabase Db => redis.GetDatabase();

    public bool TryIssue(string bindingId, string code, DateTimeOffset now, out TimeSpan retryAfter)
    {
        var gc = options.Ttl + options.ResendCooldown + retention;
        var r = (long)Db.ScriptEvaluate(IssueScript, [keys.Otp(bindingId)],
        [
            code, Micros(now), Micros(options.ResendCooldown), Micros(options.Ttl), options.Attempts, (long)gc.TotalMilliseconds,
        ]);
        if (r >= 0)
        {
            retryAfter = TimeSpan.FromTicks(r * 10);
            return false;
        }

        retryAfter = TimeSpan.Zero;
        return true;
    }

    public OtpVerdict Verify(string bindingId, string code, DateTimeOffset now, out int attemptsLeft)
    {
        var r = RedisKeyspace.Array(Db.ScriptEvaluate(VerifyScript, [keys.Otp(bindingId ?? "")], [code?.Trim() ?? "", Micros(now)]));
        attemptsLeft = (int)r[1];
        return (string?)r[0] switch
        {
            "accepted" => OtpVerdict.Accepted,
            "wrong" => OtpVerdict.Wrong,
            "expired" => OtpVerdict.Expired,
            "exceeded" => OtpVerdict.AttemptsExceeded,
            "used" => OtpVerdict.Used,
            _ => OtpVerdict.Unknown,
        };
    }

    public void Clear() => RedisKeyspace.Delete(redis, keys.Pattern("otp:"));

    // Microseconds keep sub-millisecond cooldowns exact and stay below 2^53 (Lua doubles) until year 2255.
    private static long Micros(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static long Micros(TimeSpan t) => t.Ticks / 10;
}

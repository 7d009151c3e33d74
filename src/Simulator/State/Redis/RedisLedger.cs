using System.Globalization;
using PaySim.Simulator.Ledger;
using StackExchange.Redis;

namespace PaySim.Simulator.State.Redis;

/// <summary>
/// The ledger in Redis: each account and authorization is a hash and every money movement is one Lua
/// script, so it is atomic across processes. Invariants are one read-only script over all accounts and
/// authorizations (a consistent snapshot; it blocks Redis for the scan, fine for a simulator).
/// </summary>
internal sealed class RedisLedger : ILedger
{
    // Lua numbers are doubles: exact up to 2^53 minor units, far above any simulated balance.
    private const string LoadScript = """
        local ep = redis.call('GET', KEYS[3]) or '0'
        for i = 1, #ARGV, 2 do
          local key = KEYS[1] .. ARGV[i]
          if redis.call('HSETNX', key, 'open', ARGV[i + 1]) == 1 then
            redis.call('HSET', key, 'bal', ARGV[i + 1], 'held', 0, 'cap', 0, 'ref', 0, 'spent', 0, 'day', '', 'ep', ep)
          end
          redis.call('SADD', KEYS[2], ARGV[i])
        end
        return 1
        """;

    // The load path: one HMGET and one HSET on the account (every field the verdict needs, then every
    // field it moves), the id and the authorization. No set of ids: Invariants walks the sequence instead.
    // ARGV[9] is the reset epoch of the cached token the PAN came from ('*' = not from the cache): when the
    // account was loaded under another epoch, a reset may have deleted the token since, so the token
    // itself is read (KEYS[3]).
    // Replies {verdict, balance, id, epoch}; the epoch lets the caller re-tag its cache entry.
    private const string HoldScript = """
        local a = redis.call('HMGET', KEYS[1], 'bal', 'spent', 'day', 'held', 'ep')
        if not a[1] then return {'unknown', 0} end
        local ep = a[5] or ''
        if ARGV[9] ~= '*' and ARGV[9] ~= ep and redis.call('GET', KEYS[3]) ~= ARGV[8] then return {'unknown', 0} end
        local amount = tonumber(ARGV[1])
        local bal = tonumber(a[1])
        if amount <= 0 then return {'invalid', bal, '', ep} end
        if amount > bal then return {'insufficient', bal, '', ep} end
        local spent = tonumber(a[2] or '0')
        if a[3] ~= ARGV[3] then spent = 0 end
        if spent + amount > tonumber(ARGV[2]) then return {'overlimit', bal, '', ep} end
        bal = bal - amount
        local f = function(x) return string.format('%.0f', x) end
        redis.call('HSET', KEYS[1], 'bal', f(bal), 'held', f(tonumber(a[4] or '0') + amount), 'day', ARGV[3], 'spent', f(spent + amount))
        local n = redis.call('INCR', KEYS[2])
        local id = 'auth_' .. string.format('%010x', n)
        redis.call('HSET', ARGV[7] .. id, 'pan', ARGV[8], 'amt', ARGV[1], 'cap', 0, 'ref', 0, 'merchant', ARGV[4], 'order', ARGV[5], 'key', ARGV[6])
        return {'approved', bal, id, ep}
        """;

    private const string FloorScript = """
        redis.call('SET', KEYS[2], redis.call('GET', KEYS[1]) or '0')
        return 1
        """;

    private const string CaptureScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown', 0} end
        local a = redis.call('HMGET', KEYS[1], 'amt', 'cap', 'pan')
        local cap = tonumber(a[2])
        local remaining = tonumber(a[1]) - cap
        local amount = tonumber(ARGV[1])
        if amount == 0 then amount = remaining end
        if amount <= 0 or amount > remaining then return {'invalid', cap} end
        local acct = ARGV[2] .. a[3]
        redis.call('HINCRBY', acct, 'held', -amount)
        redis.call('HINCRBY', acct, 'cap', amount)
        cap = redis.call('HINCRBY', KEYS[1], 'cap', amount)
        return {'approved', cap}
        """;

    private const string RefundScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown', 0} end
        local a = redis.call('HMGET', KEYS[1], 'cap', 'ref', 'pan')
        local ref = tonumber(a[2])
        local remaining = tonumber(a[1]) - ref
        local amount = tonumber(ARGV[1])
        if amount == 0 then amount = remaining end
        if amount <= 0 or amount > remaining then return {'invalid', ref} end
        local acct = ARGV[2] .. a[3]
        redis.call('HINCRBY', acct, 'bal', amount)
        redis.call('HINCRBY', acct, 'ref', amount)
        ref = redis.call('HINCRBY', KEYS[1], 'ref', amount)
        local n = redis.call('INCR', KEYS[2])
        return {'approved', ref, 'rfd_' .. string.format('%010x', n)}
        """;

    // Returns {open, bal, held, cap, ref, {bad accounts}, {bad authorizations}, {keys charged twice or more},
    // {merchant, order charged twice or more}, authorizations}. The counting happens here, in Redis: after a
    // load run there are hundreds of thousands of authorizations, and shipping every row to the client
    // took longer than a call may (5 s) — only the findings travel. Sums are strings so no precision is lost.
    private const string InvariantsScript = """
        local open, bal, held, cap, ref = 0, 0, 0, 0, 0
        local bad = {}
        for _, pan in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          local a = redis.call('HMGET', ARGV[1] .. pan, 'open', 'bal', 'held', 'cap', 'ref')
          open = open + tonumber(a[1] or '0')
          local b, h = tonumber(a[2] or '0'), tonumber(a[3] or '0')
          bal = bal + b
          held = held + h
          cap = cap + tonumber(a[4] or '0')
          ref = ref + tonumber(a[5] or '0')
          if b < 0 or h < 0 then table.insert(bad, pan) table.insert(bad, a[2]) table.insert(bad, a[3]) end
        end
        local badAuth, byKey, byOrder, orders, count = {}, {}, {}, {}, 0
        -- Every id the sequence handed out since the last reset (refund numbers and deleted ids find no hash).
        for n = tonumber(redis.call('GET', KEYS[3]) or '0') + 1, tonumber(redis.call('GET', KEYS[2]) or '0') do
          local id = 'auth_' .. string.format('%010x', n)
          local r = redis.call('HMGET', ARGV[2] .. id, 'amt', 'cap', 'ref', 'merchant', 'order', 'key')
          if r[1] then
            count = count + 1
            local amt, c, rf = tonumber(r[1] or '0'), tonumber(r[2] or '0'), tonumber(r[3] or '0')
            if c > amt or rf > c then
              table.insert(badAuth, id) table.insert(badAuth, r[1] or '0') table.insert(badAuth, r[2] or '0') table.insert(badAuth, r[3] or '0')
            end
            local key = r[6] or ''
            if key ~= '' then byKey[key] = (byKey[key] or 0) + 1 end
            local merchant, order = r[4] or '', r[5] or ''
            -- Same rule as the in-memory ledger: a charge given back in full is not a double charge any more.
            if order ~= '' and not (c > 0 and rf >= amt) then
              local k = merchant .. '\31' .. order
              if byOrder[k] == nil then orders[k] = {merchant, order} end
              byOrder[k] = (byOrder[k] or 0) + 1
            end
          end
        end
        local keys, twice = {}, {}
        for k, n in pairs(byKey) do if n > 1 then table.insert(keys, k) table.insert(keys, n) end end
        for k, n in pairs(byOrder) do if n > 1 then table.insert(twice, orders[k][1]) table.insert(twice, orders[k][2]) table.insert(twice, n) end end
        local f = function(x) return string.format('%.0f', x) end
        return {f(open), f(bal), f(held), f(cap), f(ref), bad, badAuth, keys, twice, count}
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly KeyValuePair<string, long>[] _opening;
    private readonly RedisTokenCache? _tokens;

    public RedisLedger(IConnectionMultiplexer redis, RedisKeys keys, IEnumerable<KeyValuePair<string, long>> openingBalances, RedisTokenCache? tokens = null)
    {
        _redis = redis;
        _keys = keys;
        _tokens = tokens;
        _opening = openingBalances.DistinctBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        LoadOpeningBalances();
    }

    private IDatabase Db => _redis.GetDatabase();

    public HoldResult Hold(HoldRequest request)
    {
        var token = request.CardToken;
        RedisTokenCache.Entry? cached = null;
        if (token is null || _tokens is null || !_tokens.TryGet(token, out cached) || cached.Pan != request.Pan)
        {
            cached = null;
        }

        var r = RedisKeyspace.Array(Db.ScriptEvaluate(HoldScript,
            [_keys.Account(request.Pan), _keys.LedgerSequence, _keys.Token(token ?? "")],
            [
                request.AmountMinor, request.DailyLimitMinor, request.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                request.MerchantId ?? "", request.OrderReference ?? "", request.IdempotencyKey ?? "",
                _keys.AuthorizationPrefix, request.Pan, cached?.Epoch ?? "*",
            ]));
        var available = (long)r[1];
        if (cached is not null)
        {
            if (r.Length < 4)
            {
                // Unknown account, or the token is gone: a reset (here or in another process) cleared it.
                _tokens!.Remove(token!);
            }
            else if ((string?)r[3] is { } epoch && epoch != cached.Epoch)
            {
                cached.Epoch = epoch;
            }
        }

        return (string?)r[0] switch
        {
            "approved" => new HoldResult(LedgerOutcome.Approved, (string?)r[2], available),
            "insufficient" => new HoldResult(LedgerOutcome.InsufficientFunds, null, available),
            "overlimit" => new HoldResult(LedgerOutcome.OverLimit, null, available),
            "invalid" => new HoldResult(LedgerOutcome.InvalidAmount, null, available),
            _ => new HoldResult(LedgerOutcome.UnknownAccount, null, 0),
        };
    }

    public CaptureResult Capture(string authorizationId, long amountMinor)
    {
        var r = RedisKeyspace.Array(Db.ScriptEvaluate(CaptureScript,
            [_keys.Authorization(authorizationId ?? "")], [amountMinor, _keys.AccountPrefix]));
        return (string?)r[0] switch
        {
            "approved" => new CaptureResult(LedgerOutcome.Approved, (long)r[1]),
            "invalid" => new CaptureResult(LedgerOutcome.InvalidAmount, (long)r[1]),
            _ => new CaptureResult(LedgerOutcome.UnknownAuthorization, 0),
        };
    }

    public RefundResult Refund(string authorizationId, long amountMinor)
    {
        var r = RedisKeyspace.Array(Db.ScriptEvaluate(RefundScript,
            [_keys.Authorization(authorizationId ?? ""), _keys.LedgerSequence], [amountMinor, _keys.AccountPrefix]));
        return (string?)r[0] switch
        {
            "approved" => new RefundResult(LedgerOutcome.Approved, (long)r[1], (string?)r[2]),
            "invalid" => new RefundResult(LedgerOutcome.InvalidAmount, (long)r[1], null),
            _ => new RefundResult(LedgerOutcome.UnknownAuthorization, 0, null),
        };
    }

    public long AvailableMinor(string pan)
    {
        var v = Db.HashGet(_keys.Account(pan), "bal");
        return v.IsNull ? 0 : (long)v;
    }

    public LedgerInvariants Invariants()
    {
        var r = RedisKeyspace.Array(Db.ScriptEvaluate(InvariantsScript,
            [_keys.Accounts, _keys.LedgerSequence, _keys.LedgerFloor], [_keys.AccountPrefix, _keys.AuthorizationPrefix]));
        long initial = (long)r[0], balances = (long)r[1], held = (long)r[2], captured = (long)r[3], refunded = (long)r[4];
        var violations = new List<string>();

        var bad = RedisKeyspace.Array(r[5]);
        for (var i = 0; i + 2 < bad.Length; i += 3)
        {
            violations.Add($"account {Mask((string)bad[i]!)} has balance {(string?)bad[i + 1]} and held {(string?)bad[i + 2]}");
        }

        var badAuth = RedisKeyspace.Array(r[6]);
        for (var i = 0; i + 3 < badAuth.Length; i += 4)
        {
            violations.Add($"{(string?)badAuth[i]}: authorized {(string?)badAuth[i + 1]}, captured {(string?)badAuth[i + 2]}, refunded {(string?)badAuth[i + 3]}");
        }

        // Only what moved money twice or more comes back: that is all the verdict counts.
        var keys = RedisKeyspace.Array(r[7]);
        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < keys.Length; i += 2)
        {
            byKey[(string)keys[i]!] = (int)keys[i + 1];
        }

        var twice = RedisKeyspace.Array(r[8]);
        var byOrder = new Dictionary<(string, string), int>();
        for (var i = 0; i + 2 < twice.Length; i += 3)
        {
            byOrder[((string?)twice[i] ?? "", (string?)twice[i + 1] ?? "")] = (int)twice[i + 2];
        }

        return LedgerInvariants.Judge(byKey, byOrder, initial, balances, held, captured, refunded, (long)r[9], violations);
    }

    /// <summary>Drops accounts and authorizations of this cluster and loads the opening balances again.</summary>
    public void Reset()
    {
        // Ids up to here are about to be deleted: Invariants walks only the ones handed out after this.
        Db.ScriptEvaluate(FloorScript, [_keys.LedgerSequence, _keys.LedgerFloor]);
        RedisKeyspace.Delete(_redis, _keys.Pattern("auth"));
        RedisKeyspace.Delete(_redis, _keys.Pattern("acct:"));
        Db.KeyDelete(_keys.Accounts);
        // After the caller deleted the tokens, before the accounts come back: see RedisKeys.ResetEpoch.
        Db.StringIncrement(_keys.ResetEpoch);
        LoadOpeningBalances();
    }

    /// <summary>
    /// HSETNX per account: every process may load at start-up and the first one wins, so a process
    /// joining later does not undo money already moved.
    /// </summary>
    internal void LoadOpeningBalances()
    {
        foreach (var chunk in _opening.Chunk(500))
        {
            var args = new RedisValue[chunk.Length * 2];
            for (var i = 0; i < chunk.Length; i++)
            {
                args[2 * i] = chunk[i].Key;
                args[(2 * i) + 1] = chunk[i].Value;
            }

            Db.ScriptEvaluate(LoadScript, [_keys.AccountPrefix, _keys.Accounts, _keys.ResetEpoch], args);
        }
    }

    private static string Mask(string pan) => pan.Length > 4 ? "****" + pan[^4..] : pan;
}

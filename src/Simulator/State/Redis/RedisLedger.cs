using System.Globalization;
using PaySim.Simulator.Ledger;
using StackExchange.Redis;

namespace PaySim.Simulator.State.Redis;

/// <summary>
/// The ledger in Redis: each account and authorization is a hash and every money movement is one Lua
/// script, so it is atomic across processes. An account exists once its card moved money (the first hold
/// opens it at the opening balance the caller derives); the totals of Invariants are over those accounts. Invariants are one read-only script over all accounts and
/// authorizations (a consistent snapshot; it blocks Redis for the scan, fine for a simulator).
/// </summary>
internal sealed class RedisLedger : ILedger, IOneTripHoldLedger, IOneTripSettleLedger
{
    // Lua numbers are doubles: exact up to 2^53 minor units, far above any simulated balance.
    // The load path: one HMGET and one HSET on the account (every field the verdict needs, then every
    // field it moves), the id and the authorization. No set of ids: Invariants walks the sequence instead.
    // ARGV[9] is the reset epoch of the cached token the PAN came from ('*' = not from the cache): when the
    // account was loaded under another epoch, a reset may have deleted the token since, so the token
    // itself is read (KEYS[3]).
    // ARGV[10..12]: the card token, the approving node and the time, kept for the ledger read.
    // ARGV[13]: the card's opening balance ('' = a PAN the issuer does not know): an account is opened by the first
    // hold on its card (KEYS[4] the reset epoch, KEYS[5] the set of accounts), so Redis holds only cards that moved money.
    // Replies {verdict, balance, id, epoch}; the epoch lets the caller re-tag its cache entry.
    // A function, so the keyed script (below) runs the very same hold between its claim and its reply.
    private const string HoldFunction = """
        local function hold()
          local a = redis.call('HMGET', KEYS[1], 'bal', 'spent', 'day', 'held', 'ep')
          if not a[1] then
            if ARGV[13] == '' then return {'unknown', 0} end
            local ep = redis.call('GET', KEYS[4]) or '0'
            redis.call('HSET', KEYS[1], 'open', ARGV[13], 'bal', ARGV[13], 'held', 0, 'cap', 0, 'ref', 0, 'spent', 0, 'day', '', 'ep', ep)
            redis.call('SADD', KEYS[5], ARGV[8])
            a = {ARGV[13], '0', '', '0', ep}
          end
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
          redis.call('HSET', ARGV[7] .. id, 'pan', ARGV[8], 'amt', ARGV[1], 'cap', 0, 'ref', 0, 'merchant', ARGV[4], 'order', ARGV[5], 'key', ARGV[6],
            'tok', ARGV[10], 'node', ARGV[11], 'at', ARGV[12])
          return {'approved', bal, id, ep}
        end

        """;

    private const string HoldScript = HoldFunction + "return hold()";

    // Authorize with an idempotency key in one step: what RedisIdempotencyStore's claim, the hold and its
    // complete do in three, on the same entry (idem:<scope>:<key>, fields fp state owner val), so either path
    // may meet a key the other wrote. KEYS[6] entry, KEYS[7] its lease; ARGV[14] fingerprint, [15] owner,
    // [16] retention ms, [17] the idem-done channel, [18] the entry's name (published, as the store does).
    // The hold and its stored reply land together, so no "pending" state is ever left by this script; one
    // left by the store's claim is waited for by the caller (replied {'pending'}), or taken over when its
    // lease expired (its owner died), and then the waiters are woken. The reply stored is the caller's JSON
    // (RedisLedger.KeyedScript puts HoldReplies' heads in; '{H}' stands for them here).
    // Replies {'reused'} | {'done', json} | {'pending'} | the hold's reply.
    private const string KeyedTail = """
        local e = redis.call('HMGET', KEYS[6], 'fp', 'state', 'val')
        local takeover = false
        if e[1] then
          if e[1] ~= ARGV[14] then return {'reused'} end
          if e[2] == 'done' then return {'done', e[3]} end
          if redis.call('EXISTS', KEYS[7]) == 1 then return {'pending'} end
          takeover = true
        end
        local r = hold()
        local heads = {H}
        local json = heads[r[1]] .. (r[3] or '') .. '","AvailableBalanceMinor":' .. string.format('%.0f', r[2]) .. '}'
        redis.call('HSET', KEYS[6], 'fp', ARGV[14], 'state', 'done', 'owner', ARGV[15], 'val', json)
        redis.call('PEXPIRE', KEYS[6], ARGV[16])
        if takeover then
          redis.call('DEL', KEYS[7])
          redis.call('PUBLISH', ARGV[17], ARGV[18])
        end
        return r
        """;

    private const string FloorScript = """
        redis.call('SET', KEYS[2], redis.call('GET', KEYS[1]) or '0')
        return 1
        """;

    // Capture, Void and Refund are functions, so the keyed scripts (below) run the very same operation between their
    // claim and their reply.
    private const string CaptureFunction = """
        local function op()
        if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown', 0} end
        local a = redis.call('HMGET', KEYS[1], 'amt', 'cap', 'pan', 'rel')
        local cap = tonumber(a[2])
        local remaining = tonumber(a[1]) - cap - tonumber(a[4] or '0')
        local amount = tonumber(ARGV[1])
        if amount == 0 then amount = remaining end
        if amount <= 0 or amount > remaining then return {'invalid', cap} end
        local acct = ARGV[2] .. a[3]
        redis.call('HINCRBY', acct, 'held', -amount)
        redis.call('HINCRBY', acct, 'cap', amount)
        cap = redis.call('HINCRBY', KEYS[1], 'cap', amount)
        return {'approved', cap, a[3]}
        end

        """;

    private const string CaptureScript = CaptureFunction + "return op()";

    // Releases what is left of an uncaptured hold; nothing moves when it was released before.
    private const string VoidFunction = """
        local function op()
        if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown', 0} end
        local a = redis.call('HMGET', KEYS[1], 'amt', 'cap', 'rel', 'pan')
        local rel = tonumber(a[3] or '0')
        if tonumber(a[2]) > 0 then return {'captured', rel} end
        local remaining = tonumber(a[1]) - rel
        if remaining > 0 then
          local acct = ARGV[1] .. a[4]
          redis.call('HINCRBY', acct, 'held', -remaining)
          redis.call('HINCRBY', acct, 'bal', remaining)
          redis.call('HINCRBY', acct, 'rel', remaining)
          rel = redis.call('HINCRBY', KEYS[1], 'rel', remaining)
        end
        return {'approved', rel}
        end

        """;

    private const string VoidScript = VoidFunction + "return op()";

    private const string RefundFunction = """
        local function op()
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
        return {'approved', ref, 'rfd_' .. string.format('%010x', n), a[3]}
        end

        """;

    private const string RefundScript = RefundFunction + "return op()";

    // Capture, Void or Refund with an idempotency key in one step, as KeyedTail does for the hold: the same entry
    // (idem:<scope>:<key>, fields fp state owner val) as RedisIdempotencyStore, so either path replays what the other
    // stored. After the operation's own KEYS and ARGV come the entry and its lease (the last two KEYS) and the
    // fingerprint, owner, retention ms, the idem-done channel and the entry's name (the last five ARGV). The reply
    // stored is the caller's JSON (RedisLedger.SettleScript puts SettleReplies' heads in for '{H}' and the Lua that
    // follows the amount for '{T}'). Replies {'reused'} | {'done', json} | {'pending'} | the operation's reply.
    private const string SettleTail = """
        local entry, lease, n = KEYS[#KEYS - 1], KEYS[#KEYS], #ARGV
        local e = redis.call('HMGET', entry, 'fp', 'state', 'val')
        local takeover = false
        if e[1] then
          if e[1] ~= ARGV[n - 4] then return {'reused'} end
          if e[2] == 'done' then return {'done', e[3]} end
          if redis.call('EXISTS', lease) == 1 then return {'pending'} end
          takeover = true
        end
        local r = op()
        local heads = {H}
        local json = heads[r[1]] .. string.format('%.0f', r[2]) .. {T}
        redis.call('HSET', entry, 'fp', ARGV[n - 4], 'state', 'done', 'owner', ARGV[n - 3], 'val', json)
        redis.call('PEXPIRE', entry, ARGV[n - 2])
        if takeover then
          redis.call('DEL', lease)
          redis.call('PUBLISH', ARGV[n - 1], ARGV[n])
        end
        return r
        """;

    // Returns {open, bal, held, cap, ref, {bad accounts}, {bad authorizations}, {card, key charged twice or more},
    // {card, merchant, order charged twice or more}, authorizations, released, open holds}. The counting happens
    // here, in Redis: after a load run there are hundreds of thousands of authorizations, and shipping every row
    // to the client took longer than a call may (5 s) — only the findings travel. Sums are strings so no
    // precision is lost. Duplicates are counted per card, as in memory (DuplicateChargeCounter).
    private const string InvariantsScript = """
        local open, bal, held, cap, ref, rel = 0, 0, 0, 0, 0, 0
        local bad = {}
        for _, pan in ipairs(redis.call('SMEMBERS', KEYS[1])) do
          local a = redis.call('HMGET', ARGV[1] .. pan, 'open', 'bal', 'held', 'cap', 'ref', 'rel')
          open = open + tonumber(a[1] or '0')
          local b, h = tonumber(a[2] or '0'), tonumber(a[3] or '0')
          bal = bal + b
          held = held + h
          cap = cap + tonumber(a[4] or '0')
          ref = ref + tonumber(a[5] or '0')
          rel = rel + tonumber(a[6] or '0')
          if b < 0 or h < 0 then table.insert(bad, pan) table.insert(bad, a[2]) table.insert(bad, a[3]) end
        end
        local badAuth, byKey, byOrder, names, count, openHolds = {}, {}, {}, {}, 0, 0
        -- Every id the sequence handed out since the last reset (deleted ids find no hash).
        for n = tonumber(redis.call('GET', KEYS[3]) or '0') + 1, tonumber(redis.call('GET', KEYS[2]) or '0') do
          local id = 'auth_' .. string.format('%010x', n)
          local r = redis.call('HMGET', ARGV[2] .. id, 'amt', 'cap', 'ref', 'merchant', 'order', 'key', 'rel', 'pan')
          if r[1] then
            count = count + 1
            local amt, c, rf, rl = tonumber(r[1] or '0'), tonumber(r[2] or '0'), tonumber(r[3] or '0'), tonumber(r[7] or '0')
            openHolds = openHolds + amt - c - rl
            if c + rl > amt or rf > c then
              table.insert(badAuth, id) table.insert(badAuth, r[1] or '0') table.insert(badAuth, r[2] or '0')
              table.insert(badAuth, r[7] or '0') table.insert(badAuth, r[3] or '0')
            end
            local pan, key = r[8] or '', r[6] or ''
            if key ~= '' then
              local k = pan .. '\31' .. key
              if byKey[k] == nil then names[k] = {pan, key} end
              byKey[k] = (byKey[k] or 0) + 1
            end
            local merchant, order = r[4] or '', r[5] or ''
            -- Same rule as LedgerInvariants.IsReversed: a charge given back in full is not a double charge any more.
            if order ~= '' and not (rl >= amt or (c > 0 and rf >= amt)) then
              local k = pan .. '\31' .. merchant .. '\31' .. order
              if byOrder[k] == nil then names[k] = {pan, merchant, order} end
              byOrder[k] = (byOrder[k] or 0) + 1
            end
          end
        end
        local keys, twice = {}, {}
        for k, n in pairs(byKey) do if n > 1 then table.insert(keys, names[k][1]) table.insert(keys, names[k][2]) table.insert(keys, n) end end
        for k, n in pairs(byOrder) do
          if n > 1 then table.insert(twice, names[k][1]) table.insert(twice, names[k][2]) table.insert(twice, names[k][3]) table.insert(twice, n) end
        end
        local f = function(x) return string.format('%.0f', x) end
        return {f(open), f(bal), f(held), f(cap), f(ref), bad, badAuth, keys, twice, count, f(rel), f(openHolds)}
        """;

    // One page of the ledger read: {'ok', epoch, last sequence read, head, {rows}} with 12 values a row
    // (sequence, then the fields below), {'stale', epoch} for a cursor of an earlier reset, {'outside', epoch,
    // floor, head} for one past the head. The numbers are dense (refunds have their own), so a page walks
    // at most limit ids. ARGV: cursor epoch ('' = from the last reset), cursor sequence, limit, authorization prefix.
    private const string PageScript = """
        local ep = redis.call('GET', KEYS[3]) or '0'
        local head = tonumber(redis.call('GET', KEYS[1]) or '0')
        local floor = tonumber(redis.call('GET', KEYS[2]) or '0')
        if head < floor then head = floor end
        local from = floor
        if ARGV[1] ~= '' then
          if ARGV[1] ~= ep then return {'stale', ep} end
          from = tonumber(ARGV[2])
          if from < floor then return {'stale', ep} end
          if from > head then return {'outside', ep, floor, head} end
        end
        local limit = tonumber(ARGV[3])
        if limit == 0 then return {'ok', ep, head, head, {}} end
        local rows, n, found = {}, from, 0
        while n < head and found < limit do
          n = n + 1
          local r = redis.call('HMGET', ARGV[4] .. 'auth_' .. string.format('%010x', n),
            'pan', 'tok', 'merchant', 'order', 'key', 'amt', 'cap', 'rel', 'ref', 'node', 'at')
          if r[1] then
            found = found + 1
            table.insert(rows, n)
            for i = 1, 11 do table.insert(rows, r[i]) end
          end
        end
        return {'ok', ep, n, head, rows}
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly Func<string, long?> _opening;
    private readonly RedisTokenCache? _tokens;
    private readonly long _retentionMs;
    private readonly string _owner = "hold-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N") + "-";
    private long _claims;
    private (HoldReplies Replies, string Script)? _keyed;
    private SettleScript? _keyedCapture;
    private SettleScript? _keyedVoid;
    private SettleScript? _keyedRefund;

    /// <param name="openingBalance">The opening balance of a card, or null for a PAN the issuer does not know: the
    /// first hold on a card opens its account at it, so nothing is loaded up front.</param>
    public RedisLedger(IConnectionMultiplexer redis, RedisKeys keys, Func<string, long?> openingBalance, RedisTokenCache? tokens = null, RedisStateOptions? options = null)
    {
        _redis = redis;
        _keys = keys;
        _tokens = tokens;
        _retentionMs = (long)(options?.Retention ?? new RedisStateOptions { Endpoint = "" }.Retention).TotalMilliseconds;
        _opening = openingBalance;
    }

    /// <summary>A ledger of these cards only (tests); the first balance of a PAN given twice stands.</summary>
    public RedisLedger(IConnectionMultiplexer redis, RedisKeys keys, IEnumerable<KeyValuePair<string, long>> openingBalances, RedisTokenCache? tokens = null, RedisStateOptions? options = null)
        : this(redis, keys, OpeningTable(openingBalances), tokens, options)
    {
    }

    private static Func<string, long?> OpeningTable(IEnumerable<KeyValuePair<string, long>> openingBalances)
    {
        var table = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (pan, balance) in openingBalances)
        {
            table.TryAdd(pan, balance);
        }

        return pan => table.TryGetValue(pan, out var balance) ? balance : null;
    }

    private IDatabase Db => _redis.GetDatabase();

    public HoldResult Hold(HoldRequest request)
    {
        var cached = Cached(request);
        return ToHold(request, cached, RedisKeyspace.Array(Db.ScriptEvaluate(HoldScript, HoldKeys(request), HoldArgs(request, cached))));
    }

    public async Task<HoldResult> HoldAsync(HoldRequest request)
    {
        var cached = Cached(request);
        var r = RedisKeyspace.Array(await Db.ScriptEvaluateAsync(HoldScript, HoldKeys(request), HoldArgs(request, cached)).ConfigureAwait(false));
        return ToHold(request, cached, r);
    }

    public async Task<KeyedHold> HoldOnceAsync(HoldRequest request, string scope, string fingerprint, HoldReplies replies)
    {
        var key = request.IdempotencyKey;
        var cached = Cached(request);
        var args = HoldArgs(request, cached);
        var entry = _keys.Idempotency(scope, key);
        RedisValue[] all =
        [
            .. args, fingerprint, _owner + Interlocked.Increment(ref _claims), _retentionMs, _keys.IdempotencyDone.ToString(), (string)entry!,
        ];
        var r = RedisKeyspace.Array(await Db.ScriptEvaluateAsync(KeyedScript(replies), [.. HoldKeys(request), entry, _keys.IdempotencyLease(scope, key)], all)
            .ConfigureAwait(false));
        return (string?)r[0] switch
        {
            "reused" => new KeyedHold(KeyedHoldState.KeyReused, default, null),
            "done" => new KeyedHold(KeyedHoldState.Replayed, default, (string?)r[1]),
            "pending" => new KeyedHold(KeyedHoldState.Pending, default, null),
            _ => new KeyedHold(KeyedHoldState.Held, ToHold(request, cached, r), null),
        };
    }

    /// <summary>The keyed script with the caller's reply heads in it: made once, so its SHA1 (EVALSHA) stays the same.</summary>
    private string KeyedScript(HoldReplies replies)
    {
        if (_keyed is { } k && ReferenceEquals(k.Replies, replies))
        {
            return k.Script;
        }

        var heads = $"{{approved = {Lua(replies.Approved)}, insufficient = {Lua(replies.InsufficientFunds)}, overlimit = {Lua(replies.OverLimit)}, invalid = {Lua(replies.InvalidAmount)}, unknown = {Lua(replies.Unknown)}}}";
        var script = HoldFunction + KeyedTail.Replace("{H}", heads, StringComparison.Ordinal);
        _keyed = (replies, script);
        return script;
    }

    private RedisTokenCache.Entry? Cached(HoldRequest request)
    {
        var token = request.CardToken;
        RedisTokenCache.Entry? cached = null;
        if (token is null || _tokens is null || !_tokens.TryGet(token, out cached) || cached.Pan != request.Pan)
        {
            cached = null;
        }

        return cached;
    }

    private RedisKey[] HoldKeys(HoldRequest request) =>
        [_keys.Account(request.Pan), _keys.LedgerSequence, _keys.Token(request.CardToken ?? ""), _keys.ResetEpoch, _keys.Accounts];

    private RedisValue[] HoldArgs(HoldRequest request, RedisTokenCache.Entry? cached) =>
    [
        request.AmountMinor, request.DailyLimitMinor, request.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        request.MerchantId ?? "", request.OrderReference ?? "", request.IdempotencyKey ?? "",
        _keys.AuthorizationPrefix, request.Pan, cached?.Epoch ?? "*",
        request.CardToken ?? "", request.Node ?? "", request.CreatedUnixMs,
        _opening(request.Pan) is { } opening ? (RedisValue)opening : "",
    ];

    private HoldResult ToHold(HoldRequest request, RedisTokenCache.Entry? cached, RedisResult[] r)
    {
        var available = (long)r[1];
        if (cached is not null)
        {
            if (r.Length < 4)
            {
                // Unknown account, or the token is gone: a reset (here or in another process) cleared it.
                _tokens!.Remove(request.CardToken!);
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

    public CaptureResult Capture(string authorizationId, long amountMinor) =>
        ToCapture(RedisKeyspace.Array(Db.ScriptEvaluate(CaptureScript, CaptureKeys(authorizationId), CaptureArgs(amountMinor))));

    public VoidResult Void(string authorizationId) =>
        ToVoid(RedisKeyspace.Array(Db.ScriptEvaluate(VoidScript, VoidKeys(authorizationId), VoidArgs())));

    public RefundResult Refund(string authorizationId, long amountMinor) =>
        ToRefund(RedisKeyspace.Array(Db.ScriptEvaluate(RefundScript, RefundKeys(authorizationId), RefundArgs(amountMinor))));

    public KeyedSettle<CaptureResult> CaptureOnce(string authorizationId, long amountMinor, string scope, string idempotencyKey, string fingerprint, SettleReplies replies) =>
        SettleOnce(ref _keyedCapture, CaptureFunction, replies, CaptureKeys(authorizationId), CaptureArgs(amountMinor), scope, idempotencyKey, fingerprint, ToCapture);

    public KeyedSettle<VoidResult> VoidOnce(string authorizationId, string scope, string idempotencyKey, string fingerprint, SettleReplies replies) =>
        SettleOnce(ref _keyedVoid, VoidFunction, replies, VoidKeys(authorizationId), VoidArgs(), scope, idempotencyKey, fingerprint, ToVoid);

    public KeyedSettle<RefundResult> RefundOnce(string authorizationId, long amountMinor, string scope, string idempotencyKey, string fingerprint, SettleReplies replies) =>
        SettleOnce(ref _keyedRefund, RefundFunction, replies, RefundKeys(authorizationId), RefundArgs(amountMinor), scope, idempotencyKey, fingerprint, ToRefund);

    private RedisKey[] CaptureKeys(string? authorizationId) => [_keys.Authorization(authorizationId ?? "")];

    private RedisValue[] CaptureArgs(long amountMinor) => [amountMinor, _keys.AccountPrefix];

    private RedisKey[] VoidKeys(string? authorizationId) => [_keys.Authorization(authorizationId ?? "")];

    private RedisValue[] VoidArgs() => [_keys.AccountPrefix];

    private RedisKey[] RefundKeys(string? authorizationId) => [_keys.Authorization(authorizationId ?? ""), _keys.RefundSequence];

    private RedisValue[] RefundArgs(long amountMinor) => [amountMinor, _keys.AccountPrefix];

    private static CaptureResult ToCapture(RedisResult[] r) => (string?)r[0] switch
    {
        "approved" => new CaptureResult(LedgerOutcome.Approved, (long)r[1], (string?)r[2]),
        "invalid" => new CaptureResult(LedgerOutcome.InvalidAmount, (long)r[1]),
        _ => new CaptureResult(LedgerOutcome.UnknownAuthorization, 0),
    };

    private static VoidResult ToVoid(RedisResult[] r) => (string?)r[0] switch
    {
        "approved" => new VoidResult(LedgerOutcome.Approved, (long)r[1]),
        "captured" => new VoidResult(LedgerOutcome.AlreadyCaptured, (long)r[1]),
        _ => new VoidResult(LedgerOutcome.UnknownAuthorization, 0),
    };

    private static RefundResult ToRefund(RedisResult[] r) => (string?)r[0] switch
    {
        "approved" => new RefundResult(LedgerOutcome.Approved, (long)r[1], (string?)r[2], (string?)r[3]),
        "invalid" => new RefundResult(LedgerOutcome.InvalidAmount, (long)r[1], null),
        _ => new RefundResult(LedgerOutcome.UnknownAuthorization, 0, null),
    };

    /// <summary>
    /// The operation's script run under an idempotency key in one EVALSHA (<see cref="SettleTail"/>): its keys and
    /// arguments, then the entry and its lease, and the fingerprint, owner, retention, channel and entry name.
    /// </summary>
    private KeyedSettle<T> SettleOnce<T>(ref SettleScript? cache, string function, SettleReplies replies, RedisKey[] keys, RedisValue[] args,
        string scope, string idempotencyKey, string fingerprint, Func<RedisResult[], T> read)
    {
        var entry = _keys.Idempotency(scope, idempotencyKey);
        RedisValue[] all =
        [
            .. args, fingerprint, _owner + Interlocked.Increment(ref _claims), _retentionMs, _keys.IdempotencyDone.ToString(), (string)entry!,
        ];
        var r = RedisKeyspace.Array(Db.ScriptEvaluate(SettleScriptOf(ref cache, function, replies), [.. keys, entry, _keys.IdempotencyLease(scope, idempotencyKey)], all));
        return (string?)r[0] switch
        {
            "reused" => new KeyedSettle<T>(KeyedHoldState.KeyReused, default!, null),
            "done" => new KeyedSettle<T>(KeyedHoldState.Replayed, default!, (string?)r[1]),
            "pending" => new KeyedSettle<T>(KeyedHoldState.Pending, default!, null),
            _ => new KeyedSettle<T>(KeyedHoldState.Held, read(r), null),
        };
    }

    /// <summary>A keyed settle script with the caller's reply heads in it: made once per operation, so its SHA1 (EVALSHA) stays the same.</summary>
    private static string SettleScriptOf(ref SettleScript? cache, string function, SettleReplies replies)
    {
        if (cache is { } c && ReferenceEquals(c.Replies, replies))
        {
            return c.Text;
        }

        var heads = new List<string> { "approved = " + Lua(replies.Approved), "unknown = " + Lua(replies.Unknown) };
        if (replies.InvalidAmount is { } invalid)
        {
            heads.Add("invalid = " + Lua(invalid));
        }

        if (replies.AlreadyCaptured is { } captured)
        {
            heads.Add("captured = " + Lua(captured));
        }

        // What follows the amount: the refund id only in an approved refund's reply (r[3]), '' in its declines.
        var tail = replies.WithRefundId
            ? Lua(SettleReplies.RefundIdMiddle) + " .. (r[1] == 'approved' and r[3] or '') .. " + Lua(SettleReplies.RefundIdEnd)
            : Lua(SettleReplies.End);
        var text = function + SettleTail.Replace("{H}", "{" + string.Join(", ", heads) + "}", StringComparison.Ordinal).Replace("{T}", tail, StringComparison.Ordinal);
        cache = new SettleScript(replies, text);
        return text;
    }

    private static string Lua(string s) => s.Contains("]==]", StringComparison.Ordinal)
        ? throw new ArgumentException("a reply head may not contain ]==]")
        : "[==[" + s + "]==]";

    private sealed record SettleScript(SettleReplies Replies, string Text);

    public string? PanOf(string authorizationId)
    {
        var v = Db.HashGet(_keys.Authorization(authorizationId ?? ""), "pan");
        return v.IsNull ? null : (string?)v;
    }

    public long AvailableMinor(string pan)
    {
        var v = Db.HashGet(_keys.Account(pan), "bal");
        return v.IsNull ? _opening(pan) ?? 0 : (long)v;
    }

    public LedgerInvariants Invariants()
    {
        var r = RedisKeyspace.Array(Db.ScriptEvaluate(InvariantsScript,
            [_keys.Accounts, _keys.LedgerSequence, _keys.LedgerFloor], [_keys.AccountPrefix, _keys.AuthorizationPrefix]));
        var violations = new List<string>();

        var bad = RedisKeyspace.Array(r[5]);
        for (var i = 0; i + 2 < bad.Length; i += 3)
        {
            violations.Add($"account {LedgerInvariants.Mask((string)bad[i]!)} has balance {(string?)bad[i + 1]} and held {(string?)bad[i + 2]}");
        }

        var badAuth = RedisKeyspace.Array(r[6]);
        for (var i = 0; i + 4 < badAuth.Length; i += 5)
        {
            violations.Add(LedgerInvariants.BadAuthorization((string)badAuth[i]!, (long)badAuth[i + 1], (long)badAuth[i + 2], (long)badAuth[i + 3], (long)badAuth[i + 4]));
        }

        // Only what moved money twice or more comes back: that is all the verdict counts.
        var keys = RedisKeyspace.Array(r[7]);
        var byKey = new Dictionary<(string, string), int>();
        for (var i = 0; i + 2 < keys.Length; i += 3)
        {
            byKey[((string?)keys[i] ?? "", (string?)keys[i + 1] ?? "")] = (int)keys[i + 2];
        }

        var twice = RedisKeyspace.Array(r[8]);
        var byOrder = new Dictionary<(string, string, string), int>();
        for (var i = 0; i + 3 < twice.Length; i += 4)
        {
            byOrder[((string?)twice[i] ?? "", (string?)twice[i + 1] ?? "", (string?)twice[i + 2] ?? "")] = (int)twice[i + 3];
        }

        var totals = new LedgerTotals((long)r[0], (long)r[1], (long)r[2], (long)r[3], (long)r[10], (long)r[4], (long)r[11], (long)r[9]);
        return LedgerInvariants.Judge(byKey, byOrder, totals, violations);
    }

    public LedgerPage ReadPage(LedgerCursor? since, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var r = RedisKeyspace.Array(Db.ScriptEvaluate(PageScript,
            [_keys.LedgerSequence, _keys.LedgerFloor, _keys.ResetEpoch],
            [since is { } s ? (RedisValue)s.Epoch : "", since?.Sequence ?? 0, limit, _keys.AuthorizationPrefix]));
        var epoch = (long)r[1];
        switch ((string?)r[0])
        {
            case "stale":
                throw LedgerCursorException.OtherEpoch(since!.Value, epoch);
            case "outside":
                throw LedgerCursorException.Outside(since!.Value, (long)r[2], (long)r[3]);
        }

        var last = (long)r[2];
        var flat = RedisKeyspace.Array(r[4]);
        var rows = new List<LedgerRow>(flat.Length / 12);
        for (var i = 0; i + 11 < flat.Length; i += 12)
        {
            rows.Add(ToRow(flat.AsSpan(i, 12)));
        }

        return new LedgerPage(rows, new LedgerCursor(epoch, last), last < (long)r[3]);
    }

    /// <summary>Drops accounts and authorizations of this cluster: every card is back at its opening balance.</summary>
    public void Reset()
    {
        // Ids up to here are about to be deleted: Invariants walks only the ones handed out after this.
        Db.ScriptEvaluate(FloorScript, [_keys.LedgerSequence, _keys.LedgerFloor]);
        RedisKeyspace.Delete(_redis, _keys.Pattern("auth"));
        RedisKeyspace.Delete(_redis, _keys.Pattern("acct:"));
        Db.KeyDelete(_keys.Accounts);
        // After the caller deleted the tokens, before the accounts open again: see RedisKeys.ResetEpoch.
        Db.StringIncrement(_keys.ResetEpoch);
    }

    // sequence, pan, tok, merchant, order, key, amt, cap, rel, ref, node, at
    private static LedgerRow ToRow(ReadOnlySpan<RedisResult> v)
    {
        var sequence = (long)v[0];
        return new LedgerRow(sequence, LedgerIds.Authorization(sequence), Text(v[1]), Text(v[2]), Text(v[3]), Text(v[4]), Text(v[5]),
            Number(v[6]), Number(v[7]), Number(v[8]), Number(v[9]), Text(v[10]), Number(v[11]));
    }

    private static string Text(RedisResult v) => v.IsNull ? "" : (string?)v ?? "";

    private static long Number(RedisResult v) => v.IsNull ? 0 : (long)v;
}

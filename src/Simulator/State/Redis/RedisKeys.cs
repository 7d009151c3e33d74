using StackExchange.Redis;

namespace PaySim.Simulator.State.Redis;

/// <summary>
/// Every key of one simulator cluster. The cluster name is a hash tag, so all keys land in one slot
/// and the Lua scripts may touch keys they compute (accounts from an authorization) even on Redis Cluster.
/// </summary>
internal sealed class RedisKeys
{
    public RedisKeys(string cluster)
    {
        if (!RedisStateOptions.IsValidCluster(cluster))
        {
            throw new ArgumentException($"cluster '{cluster}' is not valid; allowed: 1-64 of A-Z a-z 0-9 _ -");
        }

        Root = "paysim:{" + cluster + "}:";
    }

    public string Root { get; }

    public string AccountPrefix => Root + "acct:";
    public string AuthorizationPrefix => Root + "auth:";
    public RedisKey Accounts => Root + "accounts";

    /// <summary>Survives Reset, like the in-memory ledger's counter, so ids never repeat.</summary>
    public RedisKey LedgerSequence => Root + "seq:ledger";

    /// <summary>Refund ids, apart from authorizations so the authorization numbers stay dense for the ledger read.</summary>
    public RedisKey RefundSequence => Root + "seq:refund";

    /// <summary>
    /// The sequence when the ledger was last reset: every authorization of this cluster is auth:auth_N with
    /// N above it (no set of ids to keep up on the load path; Invariants walks the range).
    /// </summary>
    public RedisKey LedgerFloor => Root + "seq:ledger-floor";

    /// <summary>
    /// Survives Reset, which increments it after deleting the tokens and before reloading the accounts
    /// (each account keeps the value it was loaded under): how a process's token cache learns of a reset.
    /// </summary>
    public RedisKey ResetEpoch => Root + "seq:reset";

    public RedisKey Account(string pan) => AccountPrefix + pan;
    public RedisKey Authorization(string id) => AuthorizationPrefix + id;

    public RedisKey Binding(string id) => Root + "bnd:" + id;
    public RedisKey Token(string token) => Root + "tok:" + token;
    public RedisKey Otp(string bindingId) => Root + "otp:" + bindingId;

    /// <summary>A payment challenge (1A): a hash of its JSON and the done/dead flags.</summary>
    public RedisKey Challenge(string id) => Root + "chl:" + id;

    /// <summary>One card's recent authorizations for the risk window rules: a sorted set by time.</summary>
    public RedisKey RiskWindow(string pan) => Root + "risk:" + pan;

    /// <summary>Makes every recorded attempt a distinct member of its card's window.</summary>
    public RedisKey RiskSequence => Root + "seq:risk";

    public RedisKey Idempotency(string scope, string key) => Root + "idem:" + scope + ":" + key;
    public RedisKey IdempotencyLease(string scope, string key) => Root + "idem:" + scope + ":" + key + ":lease";
    public RedisChannel IdempotencyDone => RedisChannel.Literal(Root + "idem-done");

    /// <summary>A declined order (card token, merchant, order reference): a hash of its declined keys.</summary>
    public RedisKey DeclinedOrder(string cardToken, string merchantId, string orderReference) => Root + "decl:" + cardToken + "\u001f" + merchantId + "\u001f" + orderReference;

    /// <summary>Calls that re-sent a declined order under a new key, in every process of the cluster (reset to 0 by Reset).</summary>
    public RedisKey DeclinedReattempts => Root + "cnt:declined-reattempts";

    /// <summary>Orders declined since the last Reset: a process starting later learns that the cluster has declines.</summary>
    public RedisKey DeclinedOrderCount => Root + "cnt:declined-orders";

    /// <summary>Published the first time an order is declined, so every process starts matching its answers.</summary>
    public string OrderDeclinedName => Root + "order-declined";

    public RedisChannel OrderDeclined => RedisChannel.Literal(OrderDeclinedName);

    public RedisKey Inbox(string phone) => Root + "sms:" + phone;

    /// <summary>Survives Reset, like the in-memory inbox's per-phone counter, so waiters keep their place.</summary>
    public RedisKey InboxSequence(string phone) => Root + "seq:sms:" + phone;
    public RedisChannel InboxDelivered => RedisChannel.Literal(Root + "sms-new");

    public string Pattern(string kind) => Root + kind + "*";
}

using PaySim.Simulator.Binding;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Challenges;
using PaySim.Simulator.Idempotency;
using PaySim.Simulator.Ledger;
using PaySim.Simulator.Sms;
using StackExchange.Redis;

namespace PaySim.Simulator.State.Redis;

/// <summary>
/// The issuer's shared state in Redis: every simulator process built with the same cardholder file
/// (same seed and count) and the same <see cref="RedisStateOptions.Cluster"/> acts as one issuer.
/// The stores are synchronous, like the interfaces, on StackExchange.Redis's sync API.
/// The cardholder file itself stays in memory: it is generated deterministically from the seed, and
/// only its opening balances go to Redis (loaded once per cluster, first process wins).
/// </summary>
internal sealed class RedisIssuerState : IIssuerState, IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly bool _ownsConnection;
    private readonly RedisLedger _ledger;

    public RedisIssuerState(IConnectionMultiplexer redis, RedisStateOptions options, ICardholderRegistry cardholders, OtpOptions otp, TimeProvider time)
        : this(redis, options, cardholders, otp, time, ownsConnection: false)
    {
    }

    private RedisIssuerState(IConnectionMultiplexer redis, RedisStateOptions options, ICardholderRegistry cardholders, OtpOptions otp, TimeProvider time, bool ownsConnection)
    {
        _redis = redis;
        _ownsConnection = ownsConnection;
        Options = options;
        Keys = new RedisKeys(options.Cluster);
        Cardholders = cardholders;
        var tokens = new RedisTokenCache();
        Bindings = new RedisBindingStore(redis, Keys, tokens);
        Otps = new RedisOtpStore(redis, Keys, otp, options.Retention);
        _ledger = new RedisLedger(redis, Keys, pan => cardholders.FindByPan(pan)?.BalanceMinor, tokens, options);
        Idempotency = new RedisIdempotencyStore(redis, Keys, options);
        Inbox = new RedisSmsInbox(redis, Keys, time, options);
        Challenges = new RedisChallengeStore(redis, Keys, options.Retention);
    }

    public RedisStateOptions Options { get; }

    public RedisKeys Keys { get; }

    /// <summary>The connection the stores use; shared documents (fault rules) ride on it.</summary>
    public IConnectionMultiplexer Connection => _redis;

    public ICardholderRegistry Cardholders { get; }
    public IBindingStore Bindings { get; }
    public IOtpStore Otps { get; }
    public ILedger Ledger => _ledger;
    public IIdempotencyStore Idempotency { get; }
    public ISmsInbox Inbox { get; }
    public IChallengeStore Challenges { get; }

    /// <summary>Connects (fails fast with a clear message when Redis is not there) and owns the connection.</summary>
    public static RedisIssuerState Connect(RedisStateOptions options, ICardholderRegistry cardholders, OtpOptions otp, TimeProvider time)
    {
        IConnectionMultiplexer redis;
        try
        {
            redis = RedisConnection.Connect(options.Endpoint);
        }
        catch (RedisConnectionException e)
        {
            throw new InvalidOperationException($"--state redis://{options.Endpoint}: cannot connect to Redis ({e.Message.Split('\n')[0]})", e);
        }

        try
        {
            return new RedisIssuerState(redis, options, cardholders, otp, time, ownsConnection: true);
        }
        catch
        {
            redis.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Clears everything of this cluster's prefix (bindings, tokens, OTPs, challenges, idempotency keys, inboxes,
    /// authorizations) and restores opening balances; other clusters on the same Redis are untouched.
    /// Not atomic against operations running at the same moment in other processes.
    /// </summary>
    public void Reset()
    {
        Bindings.Clear();
        Otps.Clear();
        Idempotency.Clear();
        Inbox.Clear();
        Challenges.Clear();
        _ledger.Reset();
    }

    public void Dispose()
    {
        if (_ownsConnection)
        {
            _redis.Dispose();
        }
    }
}

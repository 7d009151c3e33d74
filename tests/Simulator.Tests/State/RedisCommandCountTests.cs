using System.Globalization;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Issuer;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace PaySim.Simulator.Tests.State;

/// <summary>
/// What one Authorize costs Redis, counted the way the perf suite counts it (INFO total_commands_processed;
/// a script is 1 plus every command it runs), and the per-process token cache that keeps it low staying
/// exact across processes and resets. Its own redis-server, so no other test's traffic lands in the count.
/// </summary>
public sealed class RedisCommandCountTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>
{
    // Hold script = EVALSHA + HMGET account + HSET account + INCR sequence + HSET authorization.
    // It was 12: a GET for the token and an HGET for the balance on every call, and a script of 10.
    private const double MaxCommandsPerAuthorize = 5;
    private const int Calls = 200;

    [ToolFact(ExternalTools.RedisServer)]
    public void An_authorize_without_an_idempotency_key_sends_at_most_five_redis_commands()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var card = a.Registry.All.First(c => c.Magic == MagicBehaviour.Approve);
            var token = RedisTestIssuer.Bind(a, b, card);
            var opening = b.State.Ledger.AvailableMinor(card.Pan);
            // The first call resolves the token in Redis and loads the script: the load path is every call after it.
            Assert.Equal("00", b.Engine.Authorize(token, 1, card.Currency, "m", "", "").Code);

            // INFO is an admin command to StackExchange.Redis; the simulator's own connections never need it.
            // Connected before counting: a handshake is a dozen commands.
            using var admin = ConnectionMultiplexer.Connect(redis.Endpoint + ",allowAdmin=true");
            var before = CommandsProcessed(admin);
            AuthorizeOutcome last = null!;
            for (var i = 0; i < Calls; i++)
            {
                last = b.Engine.Authorize(token, 1, card.Currency, "m", "", "");
                Assert.Equal("00", last.Code);
            }

            // Minus the INFO that read "before" (it counts itself once done).
            var perCall = (CommandsProcessed(admin) - before - 1) / (double)Calls;
            output.WriteLine($"{perCall.ToString("0.00", CultureInfo.InvariantCulture)} Redis commands per Authorize");

            Assert.InRange(perCall, 1, MaxCommandsPerAuthorize);
            // The balance in the reply comes from the hold script, and it is the balance after this hold.
            Assert.Equal(opening - Calls - 1, last.AvailableBalanceMinor);
            Assert.Equal(opening - Calls - 1, a.State.Ledger.AvailableMinor(card.Pan));
        }
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void A_token_cached_by_one_process_is_unknown_there_once_the_other_process_resets()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var card = a.Healthy();
            var token = RedisTestIssuer.Bind(a, a, card);
            Assert.Equal("00", b.Engine.Authorize(token, 100, card.Currency, "m", "", "").Code);
            Assert.Equal("00", b.Engine.Authorize(token, 100, card.Currency, "m", "", "").Code);

            a.State.Reset();

            var after = b.Engine.Authorize(token, 100, card.Currency, "m", "", "");
            Assert.Equal((ResponseCodes.InvalidCard, DeclineReason.TokenUnknown, "unknown card token"), (after.Code, after.Reason, after.Message));
            Assert.Equal(0L, b.State.Ledger.Invariants().Authorizations);
            Assert.Null(b.State.Bindings.ResolveToken(token));
        }
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void A_cached_token_declined_before_the_hold_is_unknown_after_a_reset_in_the_other_process()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var healthy = a.Healthy();
            var magic = a.Registry.All.First(c => c.Magic == MagicBehaviour.DoNotHonour);
            var healthyToken = RedisTestIssuer.Bind(a, a, healthy);
            var magicToken = RedisTestIssuer.Bind(a, a, magic);
            var decline = b.Engine.Authorize(magicToken, 100, magic.Currency, "m", "", "");
            Assert.Equal((ResponseCodes.DoNotHonour, b.State.Ledger.AvailableMinor(magic.Pan)), (decline.Code, decline.AvailableBalanceMinor));
            Assert.Equal("00", b.Engine.Authorize(healthyToken, 100, healthy.Currency, "m", "", "").Code);

            a.State.Reset();

            // Declines before the hold (magic card, wrong currency, bad amount) must not answer from the stale entry either.
            Assert.Equal(DeclineReason.TokenUnknown, b.Engine.Authorize(magicToken, 100, magic.Currency, "m", "", "").Reason);
            Assert.Equal(DeclineReason.TokenUnknown, b.Engine.Authorize(healthyToken, 100, healthy.Currency == "USD" ? "EUR" : "USD", "m", "", "").Reason);
            Assert.Equal(DeclineReason.TokenUnknown, b.Engine.Authorize(healthyToken, 0, healthy.Currency, "m", "", "").Reason);
        }
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void A_card_bound_again_after_a_reset_authorizes_through_the_process_that_cached_its_old_token()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var card = a.Healthy();
            var opening = a.State.Ledger.AvailableMinor(card.Pan);
            var old = RedisTestIssuer.Bind(a, a, card);
            Assert.Equal("00", b.Engine.Authorize(old, 300, card.Currency, "m", "", "").Code);

            a.State.Reset();
            var fresh = RedisTestIssuer.Bind(a, a, card);

            var auth = b.Engine.Authorize(fresh, 200, card.Currency, "m", "", "");
            Assert.Equal(("00", opening - 200), (auth.Code, auth.AvailableBalanceMinor));
            Assert.Equal(DeclineReason.TokenUnknown, b.Engine.Authorize(old, 200, card.Currency, "m", "", "").Reason);
            // And the process that reset serves both the same way.
            Assert.Equal(("00", opening - 400), (a.Engine.Authorize(fresh, 200, card.Currency, "m", "", "").Code, a.State.Ledger.AvailableMinor(card.Pan)));
            Assert.Equal(DeclineReason.TokenUnknown, a.Engine.Authorize(old, 200, card.Currency, "m", "", "").Reason);
        }
    }

    private static long CommandsProcessed(IConnectionMultiplexer admin)
    {
        var info = (string)admin.GetDatabase().Execute("INFO", "stats")!;
        var line = info.Split('\n').First(l => l.StartsWith("total_commands_processed:", StringComparison.Ordinal));
        return long.Parse(line["total_commands_processed:".Length..].Trim(), CultureInfo.InvariantCulture);
    }
}

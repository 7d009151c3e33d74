using System.Globalization;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Issuer;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;
using Xunit.Abstractions;

namespace PaySim.Simulator.Tests.State;

/// <summary>
/// What one Authorize costs Redis: the commands the simulator sends (one EVALSHA, so one round trip) and the work
/// Redis does, counted the way the perf suite counts it (INFO total_commands_processed; a script is 1 plus every
/// command it runs; a heartbeat of another connection may add one, hence the 0.05 of slack over 200 calls); and
/// the per-process token cache that keeps it low staying exact across processes and resets. Its own redis-server, so no other test's traffic lands in the count.
/// </summary>
public sealed class RedisCommandCountTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>
{
    // Round trips: what the simulator's own connection sends per Authorize once the token is cached (StackExchange.Redis's
    // profiler, the commands as written to the socket). One EVALSHA, with or without an idempotency key: it was 1 without
    // a key and 3 with one (the idempotency store's claim, the hold, its complete).
    private const int SentPerAuthorize = 1;

    // Work in Redis, counted as the perf suite counts it (INFO total_commands_processed, a script = 1 + what it runs).
    // Without a key: EVALSHA + HMGET account + HSET account + INCR sequence + HSET authorization (it was 12 before the
    // token cache). With a fresh key add HMGET, HSET and PEXPIRE of the idempotency entry (it was 16 in 3 scripts);
    // a replayed key is EVALSHA + HMGET of the entry.
    private const double ProcessedPerAuthorize = 5;
    private const double ProcessedPerKeyedAuthorize = 8;
    private const double ProcessedPerReplay = 2;
    private const int Calls = 200;

    [ToolFact(ExternalTools.RedisServer)]
    public void An_authorize_without_an_idempotency_key_is_one_evalsha_of_five_redis_commands()
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

            AuthorizeOutcome last = null!;
            var (sent, processed) = Count(b, () =>
            {
                for (var i = 0; i < Calls; i++)
                {
                    last = b.Engine.Authorize(token, 1, card.Currency, "m", "", "");
                    Assert.Equal("00", last.Code);
                }
            });

            Assert.Equal(Enumerable.Repeat("EVAL", Calls * SentPerAuthorize), sent);
            Assert.InRange(processed, ProcessedPerAuthorize, ProcessedPerAuthorize + 0.05);
            // The balance in the reply comes from the hold script, and it is the balance after this hold.
            Assert.Equal(opening - Calls - 1, last.AvailableBalanceMinor);
            Assert.Equal(opening - Calls - 1, a.State.Ledger.AvailableMinor(card.Pan));
        }
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void An_authorize_with_an_idempotency_key_is_one_evalsha_whether_it_holds_or_replays()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var card = a.Registry.All.First(c => c.Magic == MagicBehaviour.Approve);
            var token = RedisTestIssuer.Bind(a, b, card);
            var opening = b.State.Ledger.AvailableMinor(card.Pan);
            Assert.Equal("00", b.Engine.Authorize(token, 1, card.Currency, "m", "o-0", "k-0").Code);

            var first = new AuthorizeOutcome[Calls];
            var (sent, processed) = Count(b, () =>
            {
                for (var i = 0; i < Calls; i++)
                {
                    first[i] = b.Engine.Authorize(token, 1, card.Currency, "m", "o-" + (i + 1), "k-" + (i + 1));
                    Assert.Equal("00", first[i].Code);
                }
            });
            Assert.Equal(Enumerable.Repeat("EVAL", Calls * SentPerAuthorize), sent);
            Assert.InRange(processed, ProcessedPerKeyedAuthorize, ProcessedPerKeyedAuthorize + 0.05);
            Assert.Equal(opening - Calls - 1, first[^1].AvailableBalanceMinor);

            // Replayed through the other process: the very reply (id and balance of the first call), nothing held again.
            // Its first keyed call sends the script's text (EVAL); the ones counted send its SHA1.
            Assert.Equal("00", a.Engine.Authorize(token, 1, card.Currency, "m", "o-0", "k-0").Code);
            var again = new AuthorizeOutcome[Calls];
            (sent, processed) = Count(a, () =>
            {
                for (var i = 0; i < Calls; i++)
                {
                    again[i] = a.Engine.Authorize(token, 1, card.Currency, "m", "o-" + (i + 1), "k-" + (i + 1));
                }
            });
            Assert.Equal(Enumerable.Repeat("EVAL", Calls * SentPerAuthorize), sent);
            Assert.InRange(processed, ProcessedPerReplay, ProcessedPerReplay + 0.05);
            Assert.Equal(first, again);
            Assert.Equal(opening - Calls - 1, a.State.Ledger.AvailableMinor(card.Pan));
            Assert.Equal(Calls + 1L, a.State.Ledger.Invariants().Authorizations);

            // The same key for another request is refused in that one round trip too.
            (sent, _) = Count(a, () => Assert.Equal(DeclineReason.IdempotencyKeyReused, a.Engine.Authorize(token, 2, card.Currency, "m", "o-1", "k-1").Reason));
            Assert.Equal(["EVAL"], sent);
        }
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void An_authorize_after_redis_lost_its_scripts_loads_the_script_again_and_answers_alike()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var card = a.Healthy();
            var token = RedisTestIssuer.Bind(a, b, card);
            var opening = a.State.Ledger.AvailableMinor(card.Pan);
            Assert.Equal("00", a.Engine.Authorize(token, 100, card.Currency, "m", "o-1", "k-1").Code);
            Assert.Equal("00", a.Engine.Authorize(token, 100, card.Currency, "m", "o-2", "").Code);

            // A restarted (or flushed) Redis answers EVALSHA with NOSCRIPT: the client sends the script again and goes on.
            using (var admin = ConnectionMultiplexer.Connect(redis.Endpoint + ",allowAdmin=true"))
            {
                admin.GetServers()[0].ScriptFlush();
            }

            Assert.Equal(("00", opening - 300), Pick(a.Engine.Authorize(token, 100, card.Currency, "m", "o-3", "k-3")));
            Assert.Equal(("00", opening - 400), Pick(a.Engine.Authorize(token, 100, card.Currency, "m", "o-4", "")));
            Assert.Equal(("00", opening - 100), Pick(a.Engine.Authorize(token, 100, card.Currency, "m", "o-1", "k-1")));
            Assert.Equal(opening - 400, a.State.Ledger.AvailableMinor(card.Pan));
        }

        static (string, long) Pick(AuthorizeOutcome o) => (o.Code, o.AvailableBalanceMinor);
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void A_reply_stored_by_the_one_trip_authorize_and_one_stored_by_the_idempotency_store_are_each_replayed_by_the_other()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var card = a.Healthy();
            var token = RedisTestIssuer.Bind(a, b, card);
            static string Fingerprint(string token, long amount, string currency, string order) => string.Join('\u001f', token, amount.ToString(CultureInfo.InvariantCulture), currency, "m", order);

            // Held in one trip, then read through the store (as a decline decided before the hold would read it): the same reply.
            var held = a.Engine.Authorize(token, 300, card.Currency, "m", "o-1", "k-1");
            Assert.Equal("00", held.Code);
            var read = b.State.Idempotency.Run<AuthorizeOutcome>("Authorize", "k-1", Fingerprint(token, 300, card.Currency, "o-1"), () => throw new InvalidOperationException("must replay"));
            Assert.Equal((held, false, true), (read.Value, read.KeyReused, read.Replayed));
            var declined = a.Engine.Authorize(token, 900_000_000, card.Currency, "m", "o-2", "k-2");
            Assert.Equal(ResponseCodes.InsufficientFunds, declined.Code);
            Assert.Equal(declined, b.State.Idempotency.Run<AuthorizeOutcome>("Authorize", "k-2", Fingerprint(token, 900_000_000, card.Currency, "o-2"), () => throw new InvalidOperationException("must replay")).Value);

            // Stored by the store, then replayed by the one-trip path without holding.
            var stored = new AuthorizeOutcome(ResponseCodes.DoNotHonour, DeclineReason.DoNotHonour, "do not honour", "", 123);
            b.State.Idempotency.Run("Authorize", "k-3", Fingerprint(token, 400, card.Currency, "o-3"), () => stored);
            var balance = a.State.Ledger.AvailableMinor(card.Pan);
            Assert.Equal(stored, a.Engine.Authorize(token, 400, card.Currency, "m", "o-3", "k-3"));
            Assert.Equal(balance, a.State.Ledger.AvailableMinor(card.Pan));
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

    /// <summary>
    /// The commands <paramref name="process"/>'s connection sent while <paramref name="run"/> ran (heartbeats left out), and the
    /// commands Redis processed per Authorize (INFO, through an admin connection made before counting: a handshake is a dozen).
    /// </summary>
    // Without an idempotency key, Capture, Void and Refund are one script each (one EVALSHA). Work in Redis: Capture
    // is EVALSHA + EXISTS + HMGET of the authorization + HINCRBY held and cap of the account + HINCRBY cap of the
    // authorization (6); Void and Refund each move one more field or take a refund id (7).
    private const double ProcessedPerCapture = 6;
    private const double ProcessedPerVoid = 7;
    private const double ProcessedPerRefund = 7;

    // A capture or refund also sends the card's transaction notice: one more script, the SMS inbox's (issue 19), 6 commands.
    // Count reports commands processed per command sent, so a capture's figure is (6 + 6) / 2 and a refund's (7 + 6) / 2.
    private const double ProcessedPerNotice = 6;

    [ToolFact(ExternalTools.RedisServer)]
    public void A_capture_a_void_and_a_refund_without_an_idempotency_key_are_one_evalsha_each()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var card = a.Registry.All.First(c => c.Magic == MagicBehaviour.Approve);
            var token = RedisTestIssuer.Bind(a, b, card);
            var opening = b.State.Ledger.AvailableMinor(card.Pan);
            var ids = new string[(2 * Calls) + 2];
            for (var i = 0; i < ids.Length; i++)
            {
                var held = b.Engine.Authorize(token, 10, card.Currency, "m", "", "");
                Assert.Equal("00", held.Code);
                ids[i] = held.AuthorizationId;
            }

            // The first call of each loads its script: the load path is every call after it.
            Assert.Equal("00", b.Engine.Capture(ids[0], 0, "").Code);
            Assert.Equal("00", b.Engine.Refund(ids[0], 0, "").Code);
            Assert.Equal("00", b.Engine.Void(ids[1], "").Code);

            var captures = ids[2..(Calls + 2)];
            var voids = ids[(Calls + 2)..];
            var (sent, processed) = Count(b, () =>
            {
                foreach (var id in captures)
                {
                    Assert.Equal(("00", 10L), Pick(b.Engine.Capture(id, 0, "")));
                }
            });
            // One script for the money and one for the transaction notice in the SMS inbox (a separate service's state).
            Assert.Equal(Enumerable.Repeat("EVAL", 2 * Calls), sent);
            Assert.InRange(processed, (ProcessedPerCapture + ProcessedPerNotice) / 2, ((ProcessedPerCapture + ProcessedPerNotice) / 2) + 0.05);

            (sent, processed) = Count(b, () =>
            {
                foreach (var id in captures)
                {
                    var refund = b.Engine.Refund(id, 4, "");
                    Assert.Equal(("00", 4L), (refund.Code, refund.RefundedMinor));
                }
            });
            Assert.Equal(Enumerable.Repeat("EVAL", 2 * Calls), sent);
            Assert.InRange(processed, (ProcessedPerRefund + ProcessedPerNotice) / 2, ((ProcessedPerRefund + ProcessedPerNotice) / 2) + 0.05);

            (sent, processed) = Count(b, () =>
            {
                foreach (var id in voids)
                {
                    var released = b.Engine.Void(id, "");
                    Assert.Equal(("00", 10L), (released.Code, released.ReleasedMinor));
                }
            });
            Assert.Equal(Enumerable.Repeat("EVAL", Calls), sent);
            Assert.InRange(processed, ProcessedPerVoid, ProcessedPerVoid + 0.05);

            // Money: every capture kept 10 less the 4 refunded; the voided holds and the first refund gave all back.
            Assert.Equal(opening - (Calls * 6), a.State.Ledger.AvailableMinor(card.Pan));
            var invariants = a.State.Ledger.Invariants();
            Assert.True(invariants.MoneyConserved, string.Join("; ", invariants.Violations));
            Assert.Equal((0L, (Calls + 1) * 10L, Calls * 4L + 10, (Calls + 1) * 10L), (invariants.HeldMinor, invariants.CapturedMinor, invariants.RefundedMinor, invariants.ReleasedMinor));
        }

        static (string, long) Pick(CaptureOutcome o) => (o.Code, o.CapturedMinor);
    }

    private (List<string> Sent, double ProcessedPerCall) Count(RedisTestIssuer process, Action run)
    {
        using var admin = ConnectionMultiplexer.Connect(redis.Endpoint + ",allowAdmin=true");
        var session = new ProfilingSession();
        process.Connection.RegisterProfiler(() => session);
        var evalsBefore = ScriptCalls(admin);
        var before = CommandsProcessed(admin);
        run();
        var after = CommandsProcessed(admin);
        var evals = ScriptCalls(admin);
        process.Connection.RegisterProfiler(() => null);
        var sent = session.FinishProfiling().Select(c => c.Command).Where(c => c is not ("PING" or "ECHO")).ToList();
        var calls = Math.Max(1, sent.Count);
        // The profiler names a script call EVAL either way; Redis tells which it got: EVALSHA only, the script text sent once.
        Assert.Equal((sent.Count(c => c == "EVAL"), 0L), (evals.Sha - evalsBefore.Sha, evals.Text - evalsBefore.Text));
        // Minus the INFO that read "before" (it counts itself once done).
        var perCall = (after - before - 1) / (double)calls;
        output.WriteLine($"{sent.Count} commands sent, {perCall.ToString("0.00", CultureInfo.InvariantCulture)} processed per call");
        return (sent, perCall);
    }

    private static (long Sha, long Text) ScriptCalls(IConnectionMultiplexer admin)
    {
        var info = (string)admin.GetDatabase().Execute("INFO", "commandstats")!;
        long Calls(string command) =>
            info.Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_" + command + ":calls=", StringComparison.Ordinal)) is { } line
                ? long.Parse(line.Split(',')[0].Split('=')[1], CultureInfo.InvariantCulture)
                : 0;
        return (Calls("evalsha"), Calls("eval"));
    }

    private static long CommandsProcessed(IConnectionMultiplexer admin)
    {
        var info = (string)admin.GetDatabase().Execute("INFO", "stats")!;
        var line = info.Split('\n').First(l => l.StartsWith("total_commands_processed:", StringComparison.Ordinal));
        return long.Parse(line["total_commands_processed:".Length..].Trim(), CultureInfo.InvariantCulture);
    }
}

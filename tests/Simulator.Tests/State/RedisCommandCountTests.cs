using System.Globalization;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Issuer;
using PaySim.Simulator.Sms;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;
using Xunit.Abstractions;

namespace PaySim.Simulator.Tests.State;

/// <summary>
/// What one Authorize (and Capture, Void, Refund) costs Redis: the commands the simulator sends (one EVALSHA, so one round trip) and the work
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

    // With an idempotency key, Capture, Void and Refund are one script each too (issue 20), whether they move money or
    // replay: HMGET of idem:<scope>:<key>, the operation, HSET + PEXPIRE of the entry, so 3 more than without a key (it was
    // 3 round trips through the idempotency store: claim, operation, complete). A replay, or a key reused for another
    // request, is EVALSHA + HMGET of the entry.
    private const double ProcessedPerKeyedCapture = ProcessedPerCapture + 3;
    private const double ProcessedPerKeyedVoid = ProcessedPerVoid + 3;
    private const double ProcessedPerKeyedRefund = ProcessedPerRefund + 3;
    private const double ProcessedPerSettleReplay = 2;

    [ToolFact(ExternalTools.RedisServer)]
    public void A_capture_a_void_and_a_refund_with_an_idempotency_key_are_one_evalsha_each_whether_they_move_money_or_replay()
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

            // The first call of each loads its script in b, and its replay in a: the load path is every call after it.
            var warm = (b.Engine.Capture(ids[0], 0, "c-w"), b.Engine.Refund(ids[0], 0, "r-w"), b.Engine.Void(ids[1], "v-w"));
            Assert.Equal(("00", "00", "00"), (warm.Item1.Code, warm.Item2.Code, warm.Item3.Code));
            Assert.Equal(warm, (a.Engine.Capture(ids[0], 0, "c-w"), a.Engine.Refund(ids[0], 0, "r-w"), a.Engine.Void(ids[1], "v-w")));

            var captures = ids[2..(Calls + 2)];
            var voids = ids[(Calls + 2)..];
            var captured = new CaptureOutcome[Calls];
            var (sent, processed) = Count(b, () =>
            {
                for (var i = 0; i < Calls; i++)
                {
                    captured[i] = b.Engine.Capture(captures[i], 0, "c-" + i);
                    Assert.Equal(("00", 10L), (captured[i].Code, captured[i].CapturedMinor));
                }
            });
            // One script for the money under the key, one for the transaction notice in the SMS inbox.
            Assert.Equal(Enumerable.Repeat("EVAL", 2 * Calls), sent);
            Assert.InRange(processed, (ProcessedPerKeyedCapture + ProcessedPerNotice) / 2, ((ProcessedPerKeyedCapture + ProcessedPerNotice) / 2) + 0.05);

            var refunded = new RefundOutcome[Calls];
            (sent, processed) = Count(b, () =>
            {
                for (var i = 0; i < Calls; i++)
                {
                    refunded[i] = b.Engine.Refund(captures[i], 4, "r-" + i);
                    Assert.Equal(("00", 4L), (refunded[i].Code, refunded[i].RefundedMinor));
                }
            });
            Assert.Equal(Enumerable.Repeat("EVAL", 2 * Calls), sent);
            Assert.InRange(processed, (ProcessedPerKeyedRefund + ProcessedPerNotice) / 2, ((ProcessedPerKeyedRefund + ProcessedPerNotice) / 2) + 0.05);
            Assert.Equal(Calls, refunded.Select(r => r.RefundId).Distinct().Count());

            var released = new VoidOutcome[Calls];
            (sent, processed) = Count(b, () =>
            {
                for (var i = 0; i < Calls; i++)
                {
                    released[i] = b.Engine.Void(voids[i], "v-" + i);
                    Assert.Equal(("00", 10L), (released[i].Code, released[i].ReleasedMinor));
                }
            });
            Assert.Equal(Enumerable.Repeat("EVAL", Calls), sent);
            Assert.InRange(processed, ProcessedPerKeyedVoid, ProcessedPerKeyedVoid + 0.05);

            var balance = a.State.Ledger.AvailableMinor(card.Pan);
            Assert.Equal(opening - (Calls * 6), balance);
            var notices = Notices(a, card);
            Assert.Equal((2 * Calls) + 2, notices);

            // Replayed through the other process: the very replies, one EVALSHA each, no notice and no money moved again.
            var again = new object[3 * Calls];
            (sent, processed) = Count(a, () =>
            {
                for (var i = 0; i < Calls; i++)
                {
                    again[i] = a.Engine.Capture(captures[i], 0, "c-" + i);
                    again[Calls + i] = a.Engine.Refund(captures[i], 4, "r-" + i);
                    again[(2 * Calls) + i] = a.Engine.Void(voids[i], "v-" + i);
                }
            });
            Assert.Equal(Enumerable.Repeat("EVAL", 3 * Calls), sent);
            Assert.InRange(processed, ProcessedPerSettleReplay, ProcessedPerSettleReplay + 0.05);
            Assert.Equal(captured.Cast<object>().Concat(refunded).Concat(released), again);
            Assert.Equal(balance, a.State.Ledger.AvailableMinor(card.Pan));
            Assert.Equal(notices, Notices(b, card));

            // The same key for another request is refused in that one round trip too, and moves nothing.
            (sent, processed) = Count(a, () =>
            {
                Assert.Equal(DeclineReason.IdempotencyKeyReused, a.Engine.Capture(captures[0], 5, "c-0").Reason);
                Assert.Equal(DeclineReason.IdempotencyKeyReused, a.Engine.Capture(captures[1], 0, "c-0").Reason);
                Assert.Equal(DeclineReason.IdempotencyKeyReused, a.Engine.Refund(captures[0], 1, "r-0").Reason);
                Assert.Equal(DeclineReason.IdempotencyKeyReused, a.Engine.Void(voids[1], "v-0").Reason);
            });
            Assert.Equal(Enumerable.Repeat("EVAL", 4), sent);
            Assert.InRange(processed, ProcessedPerSettleReplay, ProcessedPerSettleReplay + 0.05);
            Assert.Equal(
                (ResponseCodes.DuplicateTransmission, "idempotency key already used with a different request"),
                Pick(b.Engine.Refund(captures[1], 4, "r-0")));

            Assert.Equal(balance, b.State.Ledger.AvailableMinor(card.Pan));
            Assert.Equal(notices, Notices(a, card));
            var invariants = a.State.Ledger.Invariants();
            Assert.True(invariants.MoneyConserved, string.Join("; ", invariants.Violations));
            Assert.Equal(0L, invariants.DuplicateCharges);
            Assert.Equal((0L, (Calls + 1) * 10L, Calls * 4L + 10, (Calls + 1) * 10L), (invariants.HeldMinor, invariants.CapturedMinor, invariants.RefundedMinor, invariants.ReleasedMinor));
        }

        static (string, string) Pick(RefundOutcome o) => (o.Code, o.Message);
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void Keyed_declines_of_a_capture_a_void_and_a_refund_replay_alike_in_the_other_process()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var card = a.Healthy();
            var token = RedisTestIssuer.Bind(a, b, card);
            var held = a.Engine.Authorize(token, 500, card.Currency, "m", "", "").AuthorizationId;
            var other = a.Engine.Authorize(token, 500, card.Currency, "m", "", "").AuthorizationId;
            Assert.Equal("00", a.Engine.Capture(other, 300, "").Code);
            var balance = a.State.Ledger.AvailableMinor(card.Pan);

            // Every decline each operation has, through the one-trip path in a, then replayed in b (memory answers the same: RedisParityTests).
            object[] first =
            [
                a.Engine.Capture(held, 501, "c-1"), a.Engine.Capture("auth_nope", 1, "c-2"), a.Engine.Capture(null!, 1, "c-3"),
                a.Engine.Refund(held, 1, "r-1"), a.Engine.Refund(other, 301, "r-2"), a.Engine.Refund("auth_nope", 0, "r-3"),
                a.Engine.Void(other, "v-1"), a.Engine.Void("auth_nope", "v-2"),
            ];
            Assert.Equal(
                new[]
                {
                    ResponseCodes.InvalidAmount, ResponseCodes.InvalidCard, ResponseCodes.InvalidCard,
                    ResponseCodes.InvalidAmount, ResponseCodes.InvalidAmount, ResponseCodes.InvalidCard,
                    ResponseCodes.NotPermitted, ResponseCodes.InvalidCard,
                },
                first.Select(o => (string)o.GetType().GetProperty("Code")!.GetValue(o)!));
            Assert.Equal(
                new object[]
                {
                    new CaptureOutcome(ResponseCodes.InvalidAmount, DeclineReason.InvalidAmount, "amount exceeds what is left to capture", 0),
                    new RefundOutcome(ResponseCodes.InvalidAmount, DeclineReason.InvalidAmount, "amount exceeds what is left to refund", 0),
                    new VoidOutcome(ResponseCodes.NotPermitted, DeclineReason.AuthorizationCaptured, "authorization was captured; refund it instead", 0),
                },
                new[] { first[0], first[4], first[6] });
            object[] again =
            [
                b.Engine.Capture(held, 501, "c-1"), b.Engine.Capture("auth_nope", 1, "c-2"), b.Engine.Capture("", 1, "c-3"),
                b.Engine.Refund(held, 1, "r-1"), b.Engine.Refund(other, 301, "r-2"), b.Engine.Refund("auth_nope", 0, "r-3"),
                b.Engine.Void(other, "v-1"), b.Engine.Void("auth_nope", "v-2"),
            ];
            Assert.Equal(first, again);

            // A declined key stays declined: the hold it named can be captured under another key, not under it.
            Assert.Equal(ResponseCodes.InvalidAmount, b.Engine.Capture(held, 501, "c-1").Code);
            Assert.Equal(("00", 500L), (b.Engine.Capture(held, 0, "c-4").Code, b.Engine.Capture(held, 0, "c-4").CapturedMinor));
            Assert.Equal(balance, a.State.Ledger.AvailableMinor(card.Pan));
            Assert.True(a.State.Ledger.Invariants().MoneyConserved);
        }
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void A_keyed_capture_void_and_refund_after_redis_lost_its_scripts_load_them_again_and_answer_alike()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var card = a.Healthy();
            var token = RedisTestIssuer.Bind(a, b, card);
            var ids = Enumerable.Range(0, 4).Select(_ => a.Engine.Authorize(token, 100, card.Currency, "m", "", "").AuthorizationId).ToArray();
            var first = (a.Engine.Capture(ids[0], 0, "c-1"), a.Engine.Refund(ids[0], 40, "r-1"), a.Engine.Void(ids[1], "v-1"));
            Assert.Equal(("00", "00", "00"), (first.Item1.Code, first.Item2.Code, first.Item3.Code));
            var balance = a.State.Ledger.AvailableMinor(card.Pan);

            using (var admin = ConnectionMultiplexer.Connect(redis.Endpoint + ",allowAdmin=true"))
            {
                admin.GetServers()[0].ScriptFlush();
            }

            // Replays after the flush: the same replies, nothing moved.
            Assert.Equal(first, (a.Engine.Capture(ids[0], 0, "c-1"), a.Engine.Refund(ids[0], 40, "r-1"), a.Engine.Void(ids[1], "v-1")));
            Assert.Equal(balance, a.State.Ledger.AvailableMinor(card.Pan));

            // And new keys move money.
            Assert.Equal(("00", 100L), Pick(a.Engine.Capture(ids[2], 0, "c-2")));
            Assert.Equal(("00", 30L), (a.Engine.Refund(ids[2], 30, "r-2").Code, a.Engine.Refund(ids[2], 30, "r-2").RefundedMinor));
            Assert.Equal(("00", 100L), (a.Engine.Void(ids[3], "v-2").Code, a.Engine.Void(ids[3], "v-2").ReleasedMinor));
            Assert.Equal(balance + 30 + 100, a.State.Ledger.AvailableMinor(card.Pan));
        }

        static (string, long) Pick(CaptureOutcome o) => (o.Code, o.CapturedMinor);
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void A_settle_reply_stored_by_the_one_trip_path_and_one_stored_by_the_idempotency_store_are_each_replayed_by_the_other()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var card = a.Healthy();
            var token = RedisTestIssuer.Bind(a, b, card);
            var ids = Enumerable.Range(0, 4).Select(_ => a.Engine.Authorize(token, 100, card.Currency, "m", "", "").AuthorizationId).ToArray();
            static string Fingerprint(string id, long amount) => id + '\u001f' + amount.ToString(CultureInfo.InvariantCulture);
            T MustReplay<T>(string scope, string key, string fingerprint) where T : class
            {
                var read = b.State.Idempotency.Run<T>(scope, key, fingerprint, () => throw new InvalidOperationException("must replay"));
                Assert.Equal((false, true), (read.KeyReused, read.Replayed));
                return read.Value!;
            }

            // Moved in one trip, then read through the store: the same replies.
            var capture = a.Engine.Capture(ids[0], 60, "c-1");
            var refund = a.Engine.Refund(ids[0], 0, "r-1");
            var release = a.Engine.Void(ids[1], "v-1");
            var declined = a.Engine.Refund(ids[0], 1, "r-2");
            Assert.Equal(("00", "00", "00", ResponseCodes.InvalidAmount), (capture.Code, refund.Code, release.Code, declined.Code));
            Assert.Equal(capture, MustReplay<CaptureOutcome>("Capture", "c-1", Fingerprint(ids[0], 60)));
            Assert.Equal(refund, MustReplay<RefundOutcome>("Refund", "r-1", Fingerprint(ids[0], 0)));
            Assert.Equal(release, MustReplay<VoidOutcome>("Void", "v-1", ids[1]));
            Assert.Equal(declined, MustReplay<RefundOutcome>("Refund", "r-2", Fingerprint(ids[0], 1)));
            Assert.True(b.State.Idempotency.Run<CaptureOutcome>("Capture", "c-1", Fingerprint(ids[0], 61), () => throw new InvalidOperationException("must refuse")).KeyReused);

            // Stored by the store, then replayed by the one-trip path without moving money.
            var balance = a.State.Ledger.AvailableMinor(card.Pan);
            var storedCapture = new CaptureOutcome(ResponseCodes.Approved, DeclineReason.Unspecified, "captured", 77);
            var storedRefund = new RefundOutcome(ResponseCodes.Approved, DeclineReason.Unspecified, "refunded", 7, "rfd_stored");
            var storedVoid = new VoidOutcome(ResponseCodes.Approved, DeclineReason.Unspecified, "released", 99);
            b.State.Idempotency.Run("Capture", "c-3", Fingerprint(ids[2], 0), () => storedCapture);
            b.State.Idempotency.Run("Refund", "r-3", Fingerprint(ids[2], 7), () => storedRefund);
            b.State.Idempotency.Run("Void", "v-3", ids[3], () => storedVoid);
            Assert.Equal(storedCapture, a.Engine.Capture(ids[2], 0, "c-3"));
            Assert.Equal(storedRefund, a.Engine.Refund(ids[2], 7, "r-3"));
            Assert.Equal(storedVoid, a.Engine.Void(ids[3], "v-3"));
            Assert.Equal(DeclineReason.IdempotencyKeyReused, a.Engine.Void(ids[2], "v-3").Reason);
            Assert.Equal(balance, a.State.Ledger.AvailableMinor(card.Pan));
            var invariants = a.State.Ledger.Invariants();
            Assert.True(invariants.MoneyConserved, string.Join("; ", invariants.Violations));
            Assert.Equal((240L, 60L, 100L, 60L), (invariants.HeldMinor, invariants.CapturedMinor, invariants.ReleasedMinor, invariants.RefundedMinor));
        }
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void A_keyed_capture_waits_for_a_claim_the_store_still_runs_and_takes_over_one_whose_owner_died()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var card = a.Healthy();
            var token = RedisTestIssuer.Bind(a, b, card);
            var ids = Enumerable.Range(0, 2).Select(_ => a.Engine.Authorize(token, 100, card.Currency, "m", "", "").AuthorizationId).ToArray();
            var fingerprint = ids[0] + "\u001f0";

            // b's store claimed the key and is still capturing: a's one-trip call finds it pending and waits for its reply.
            using var running = new ManualResetEventSlim();
            using var release = new ManualResetEventSlim();
            var owner = Task.Run(() => b.State.Idempotency.Run("Capture", "c-1", fingerprint, () =>
            {
                running.Set();
                release.Wait(TimeSpan.FromSeconds(30));
                return b.Engine.Capture(ids[0], 0, "");
            }).Value!);
            Assert.True(running.Wait(TimeSpan.FromSeconds(30)));
            var waiter = Task.Run(() => a.Engine.Capture(ids[0], 0, "c-1"));
            Assert.False(waiter.Wait(TimeSpan.FromMilliseconds(300)));
            release.Set();
            Assert.True(Task.WaitAll([owner, waiter], TimeSpan.FromSeconds(30)));
            Assert.Equal(("00", 100L), (owner.Result.Code, owner.Result.CapturedMinor));
            Assert.Equal(owner.Result, waiter.Result);

            // A claim whose lease expired (its process died mid-operation, before moving money) is taken over in one trip.
            var entry = a.State.Keys.Idempotency("Capture", "c-2");
            var db = a.Connection.GetDatabase();
            db.HashSet(entry, [new("fp", ids[1] + "\u001f0"), new("state", "pending"), new("owner", "dead-1")]);
            var taken = a.Engine.Capture(ids[1], 0, "c-2");
            Assert.Equal(("00", 100L), (taken.Code, taken.CapturedMinor));
            Assert.Equal("done", (string?)db.HashGet(entry, "state"));
            Assert.Equal(taken, b.Engine.Capture(ids[1], 0, "c-2"));
            var invariants = a.State.Ledger.Invariants();
            Assert.True(invariants.MoneyConserved, string.Join("; ", invariants.Violations));
            Assert.Equal((0L, 200L), (invariants.HeldMinor, invariants.CapturedMinor));
        }
    }

    private static int Notices(RedisTestIssuer process, CardholderRecord card) =>
        process.State.Inbox.List(card.Phone).Count(m => m.Kind == SmsKinds.Transaction);

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

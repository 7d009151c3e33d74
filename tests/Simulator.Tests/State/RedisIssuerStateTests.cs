using System.Collections.Concurrent;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Issuer;

namespace PaySim.Simulator.Tests.State;

[Collection(RedisCollection.Name)]
public sealed class RedisIssuerStateTests(RedisServerFixture redis)
{
    [ToolFact(ExternalTools.RedisServer)]
    public void A_binding_started_through_one_process_is_confirmed_through_the_other()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var card = a.Healthy();
            var start = a.Start(card);
            Assert.Equal("00", start.Code);

            // The SMS went to the shared inbox, so B's reader sees it too.
            var otp = b.LastOtp(card);
            Assert.NotNull(otp);
            var confirm = b.Engine.ConfirmBinding(start.BindingId, otp, "");

            Assert.Equal("00", confirm.Code);
            Assert.StartsWith("tok_", confirm.CardToken, StringComparison.Ordinal);
            Assert.Equal(card.Pan, a.State.Bindings.ResolveToken(confirm.CardToken));
            // A replayed confirmation through A answers from the binding with the same token.
            Assert.Equal(confirm.CardToken, a.Engine.ConfirmBinding(start.BindingId, otp, "").CardToken);
        }
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void An_authorization_held_through_one_process_is_captured_and_refunded_through_the_other()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var card = a.Healthy();
            var token = RedisTestIssuer.Bind(a, b, card);
            var opening = b.State.Ledger.AvailableMinor(card.Pan);

            var auth = a.Engine.Authorize(token, 2_500, card.Currency, "m-1", "order-1", "auth-1");
            Assert.Equal("00", auth.Code);
            Assert.Equal(opening - 2_500, auth.AvailableBalanceMinor);
            Assert.Equal(opening - 2_500, b.State.Ledger.AvailableMinor(card.Pan));

            var capture = b.Engine.Capture(auth.AuthorizationId, 0, "cap-1");
            Assert.Equal(("00", 2_500L), (capture.Code, capture.CapturedMinor));
            var refund = b.Engine.Refund(auth.AuthorizationId, 1_000, "rfd-1");
            Assert.Equal(("00", 1_000L), (refund.Code, refund.RefundedMinor));
            Assert.StartsWith("rfd_", refund.RefundId, StringComparison.Ordinal);

            // The same refund key through A is the same refund, not a second one.
            var replay = a.Engine.Refund(auth.AuthorizationId, 1_000, "rfd-1");
            Assert.Equal(refund.RefundId, replay.RefundId);
            Assert.Equal(opening - 1_500, a.State.Ledger.AvailableMinor(card.Pan));

            var inv = a.State.Ledger.Invariants();
            Assert.True(inv.MoneyConserved, string.Join("; ", inv.Violations));
            Assert.Equal((0L, 0L, 2_500L, 1_000L, 1L), (inv.DuplicateCharges, inv.HeldMinor, inv.CapturedMinor, inv.RefundedMinor, inv.Authorizations));
        }
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void A_thousand_concurrent_authorizations_with_one_key_over_two_processes_hold_the_funds_once()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var card = a.Healthy();
            var token = RedisTestIssuer.Bind(a, b, card);
            var opening = a.State.Ledger.AvailableMinor(card.Pan);
            var results = new ConcurrentBag<AuthorizeOutcome>();

            Parallel.For(0, 1_000, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
                results.Add((i % 2 == 0 ? a : b).Engine.Authorize(token, 700, card.Currency, "m", "o-1", "same-key")));

            Assert.Equal(1_000, results.Count);
            Assert.All(results, r => Assert.Equal("00", r.Code));
            Assert.Single(results.Select(r => r.AuthorizationId).Distinct());
            Assert.Equal(opening - 700, b.State.Ledger.AvailableMinor(card.Pan));
            var inv = b.State.Ledger.Invariants();
            Assert.Equal((1L, 0L, true), (inv.Authorizations, inv.DuplicateCharges, inv.MoneyConserved));
        }
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void The_same_key_with_a_different_request_is_refused_in_the_other_process()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var card = a.Healthy();
            var token = RedisTestIssuer.Bind(a, b, card);
            var first = a.Engine.Authorize(token, 5_000, card.Currency, "m", "o-1", "key-1");
            var reused = b.Engine.Authorize(token, 6_000, card.Currency, "m", "o-1", "key-1");

            Assert.Equal("00", first.Code);
            Assert.Equal((ResponseCodes.DuplicateTransmission, DeclineReason.IdempotencyKeyReused), (reused.Code, reused.Reason));
            Assert.Equal(1L, a.State.Ledger.Invariants().Authorizations);
        }
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void Three_thousand_random_concurrent_operations_over_two_processes_leave_the_invariants_clean()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var cards = Enumerable.Range(0, 8).Select(i => a.Healthy(i)).ToArray();
            var tokens = cards.Select(c => RedisTestIssuer.Bind(a, b, c)).ToArray();
            var authIds = new ConcurrentBag<string>();
            var approvedKeys = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
            var reusedRefusals = 0;

            Parallel.For(0, 3_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                var rnd = new Random(1_000 + i);
                var node = rnd.Next(2) == 0 ? a : b;
                var pick = rnd.Next(10);
                if (pick < 5 || authIds.IsEmpty)
                {
                    // 400 keys for 3,000 calls: most keys are replayed, some concurrently, some with another amount.
                    var k = rnd.Next(400);
                    var c = k % cards.Length;
                    var amount = 100 + (k % 7 * 10) + (rnd.Next(20) == 0 ? 1 : 0);
                    var r = node.Engine.Authorize(tokens[c], amount, cards[c].Currency, "m", "order-" + k, "auth-" + k);
                    if (r.Code == "00")
                    {
                        authIds.Add(r.AuthorizationId);
                        approvedKeys[r.AuthorizationId] = "auth-" + k;
                    }
                    else if (r.Reason == DeclineReason.IdempotencyKeyReused)
                    {
                        Interlocked.Increment(ref reusedRefusals);
                    }
                }
                else
                {
                    var id = authIds.ElementAt(rnd.Next(authIds.Count));
                    var amount = rnd.Next(3) == 0 ? 0 : rnd.Next(1, 80);
                    var key = rnd.Next(2) == 0 ? "" : "op-" + rnd.Next(300);
                    _ = pick < 8 ? node.Engine.Capture(id, amount, key).Code : node.Engine.Refund(id, amount, key).Code;
                }
            });

            var inv = a.State.Ledger.Invariants();
            Assert.True(inv.MoneyConserved, string.Join("; ", inv.Violations));
            Assert.Equal(0L, inv.DuplicateCharges);
            Assert.Empty(inv.Violations);
            // Every approved key moved money exactly once: one authorization per distinct key.
            Assert.Equal(approvedKeys.Values.Distinct().Count(), (int)inv.Authorizations);
            Assert.Equal(approvedKeys.Count, (int)inv.Authorizations);
            Assert.True(inv.CapturedMinor > 0 && inv.RefundedMinor > 0, $"captured {inv.CapturedMinor}, refunded {inv.RefundedMinor}");
            Assert.True(reusedRefusals > 0, "some calls reused a key with another amount");
            Assert.Equal(inv, b.State.Ledger.Invariants() with { Violations = inv.Violations });
        }
    }

    [ToolFact(ExternalTools.RedisServer)]
    public async Task A_reader_in_one_process_is_woken_by_an_sms_delivered_through_the_other()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var phone = "+8613800000001";
            var after = b.State.Inbox.LastSequence(phone);
            var wait = b.State.Inbox.WaitAsync(phone, after, TimeSpan.FromMinutes(1), CancellationToken.None);
            Assert.False(wait.IsCompleted);

            var sent = a.State.Inbox.Deliver("sms_1", phone, "code 123456", "PaySim", "bnd_x", a.Time.GetUtcNow(), a.Time.GetUtcNow());
            a.State.Inbox.Deliver("sms_2", phone, "code 654321", "PaySim", "bnd_x", a.Time.GetUtcNow(), a.Time.GetUtcNow());

            // The fake clock never moves: only the pub/sub notification can wake the reader.
            var got = await wait.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.NotNull(got);
            Assert.Equal((after + 1, "sms_1", "123456"), (got.Sequence, got.MessageId, got.Otp));
            Assert.Equal(sent.Sequence, got.Sequence);
            Assert.Equal([after + 1, after + 2], b.State.Inbox.List(phone).Select(m => m.Sequence));
            Assert.Equal(after + 2, b.State.Inbox.LastSequence(phone));
            Assert.Equal("sms_2", Assert.Single(b.State.Inbox.List(phone, limit: 1)).MessageId);
        }
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void Reset_clears_only_its_own_cluster()
    {
        var clock = RedisTestIssuer.NewClock();
        using var mine = new RedisTestIssuer(redis, RedisTestIssuer.NewCluster(), clock, 1);
        using var other = new RedisTestIssuer(redis, RedisTestIssuer.NewCluster(), clock, 2);
        var card = mine.Healthy();
        var opening = mine.State.Ledger.AvailableMinor(card.Pan);
        var myToken = RedisTestIssuer.Bind(mine, mine, card);
        var otherToken = RedisTestIssuer.Bind(other, other, card);
        Assert.Equal("00", mine.Engine.Authorize(myToken, 900, card.Currency, "m", "o", "k").Code);
        Assert.Equal("00", other.Engine.Authorize(otherToken, 900, card.Currency, "m", "o", "k").Code);
        var sequence = mine.State.Inbox.LastSequence(card.Phone);

        mine.State.Reset();

        Assert.Null(mine.State.Bindings.ResolveToken(myToken));
        Assert.Empty(mine.State.Inbox.List(card.Phone));
        Assert.Equal(sequence, mine.State.Inbox.LastSequence(card.Phone));
        Assert.Equal(opening, mine.State.Ledger.AvailableMinor(card.Pan));
        Assert.Equal(0L, mine.State.Ledger.Invariants().Authorizations);
        Assert.Equal(card.Pan, other.State.Bindings.ResolveToken(otherToken));
        Assert.Single(other.State.Inbox.List(card.Phone));
        Assert.Equal(opening - 900, other.State.Ledger.AvailableMinor(card.Pan));
        Assert.Equal(1L, other.State.Ledger.Invariants().Authorizations);
        // The idempotency key is free again in the reset cluster, and still taken in the other one.
        var token = RedisTestIssuer.Bind(mine, mine, card);
        Assert.Equal("00", mine.Engine.Authorize(token, 1_000, card.Currency, "m", "o", "k").Code);
        Assert.Equal(DeclineReason.IdempotencyKeyReused, other.Engine.Authorize(otherToken, 1_000, card.Currency, "m", "o", "k").Reason);
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void Two_processes_on_the_same_random_seed_are_refused_instead_of_sharing_binding_ids()
    {
        var cluster = RedisTestIssuer.NewCluster();
        var clock = RedisTestIssuer.NewClock();
        using var a = new RedisTestIssuer(redis, cluster, clock, 5);
        using var b = new RedisTestIssuer(redis, cluster, clock, 5);
        Assert.Equal("00", a.Start(a.Healthy(0)).Code);

        var e = Assert.Throws<InvalidOperationException>(() => b.Start(b.Healthy(1)));

        Assert.Contains("own random seed", e.Message, StringComparison.Ordinal);
    }
}

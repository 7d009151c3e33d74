using PaySim.Simulator.Ledger;
using PaySim.Simulator.State.Redis;

namespace PaySim.Simulator.Tests.State;

/// <summary>The Redis ledger's verdict (counted inside Redis) and its ledger read must be the in-memory ledger's, charge for charge, row for row.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisLedgerParityTests(RedisServerFixture redis)
{
    private const string A = "6200000000000001";
    private const string B = "6200000000000002";
    private static readonly DateOnly Today = new(2026, 11, 23);
    private static readonly KeyValuePair<string, long>[] Opening = [KeyValuePair.Create(A, 1_000_000L), KeyValuePair.Create(B, 1_000_000L)];

    [ToolFact(ExternalTools.RedisServer)]
    public void Duplicate_charges_are_counted_alike_per_card_and_a_repeat_given_back_in_full_is_not_one()
    {
        using var connection = redis.Connect();
        var memory = Script(new InMemoryLedger(Opening));
        var inRedis = Script(new RedisLedger(connection, new RedisKeys(RedisTestIssuer.NewCluster()), Opening));

        Assert.Equal(3, memory.DuplicateCharges);
        Assert.Equal(
            (memory.DuplicateCharges, memory.Authorizations, memory.MoneyConserved, memory.BalancesMinor, memory.HeldMinor, memory.CapturedMinor, memory.ReleasedMinor, memory.RefundedMinor),
            (inRedis.DuplicateCharges, inRedis.Authorizations, inRedis.MoneyConserved, inRedis.BalancesMinor, inRedis.HeldMinor, inRedis.CapturedMinor, inRedis.ReleasedMinor, inRedis.RefundedMinor));
        Assert.Equal(memory.Violations.Order(StringComparer.Ordinal), inRedis.Violations.Order(StringComparer.Ordinal));
        Assert.Contains("card ****0001: merchant 'm-1' order 'o-1' was charged 3 times", memory.Violations);
        Assert.Contains("card ****0002: idempotency key 'k-1' moved money 2 times", memory.Violations);
        Assert.Equal(400, memory.ReleasedMinor);
        Assert.True(memory.MoneyConserved);
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void The_ledger_read_gives_the_same_rows_pages_and_cursors_and_refuses_the_same_cursors()
    {
        using var connection = redis.Connect();
        var memory = new InMemoryLedger(Opening);
        var inRedis = new RedisLedger(connection, new RedisKeys(RedisTestIssuer.NewCluster()), Opening);

        var memoryRead = Read(memory);
        var redisRead = Read(inRedis);

        Assert.Equal(memoryRead, redisRead);
        Assert.Contains(memoryRead, line => line.StartsWith("auth_0000000005 released 0/500/0 ", StringComparison.Ordinal));
        Assert.Equal(["page 3 next 0.3 more True", "page 3 next 0.6 more True", "page 1 next 0.7 more False"], memoryRead.Where(l => l.StartsWith("page", StringComparison.Ordinal)));
        Assert.StartsWith("outside: ", memoryRead[^2], StringComparison.Ordinal);
        Assert.StartsWith("stale: ", memoryRead[^1], StringComparison.Ordinal);
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void Void_answers_alike_released_captured_and_unknown()
    {
        using var connection = redis.Connect();
        Assert.Equal(VoidScript(new InMemoryLedger(Opening)), VoidScript(new RedisLedger(connection, new RedisKeys(RedisTestIssuer.NewCluster()), Opening)));
    }

    private static LedgerInvariants Script(ILedger ledger)
    {
        // o-1 three times without a key on card A: two extra charges.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(LedgerOutcome.Approved, ledger.Hold(Hold(A, 100, "m-1", "o-1", "")).Outcome);
        }

        // The same order on card B is another cardholder's payment, not a third duplicate.
        ledger.Hold(Hold(B, 100, "m-1", "o-1", ""));

        // One key on two different orders of card B: one extra charge. The same key on card A: its own.
        ledger.Hold(Hold(B, 200, "m-1", "o-k1", "k-1"));
        ledger.Hold(Hold(B, 200, "m-1", "o-k2", "k-1"));
        ledger.Hold(Hold(A, 200, "m-1", "o-k3", "k-1"));

        // o-2 twice, but the repeat was captured and refunded in full: not a double charge any more.
        ledger.Hold(Hold(A, 300, "m-1", "o-2", ""));
        var repeat = ledger.Hold(Hold(A, 300, "m-1", "o-2", "")).AuthorizationId!;
        ledger.Capture(repeat, 0);
        ledger.Refund(repeat, 300);

        // o-4 twice, but the repeat was released by a Void: not a double charge either.
        ledger.Hold(Hold(A, 400, "m-1", "o-4", ""));
        ledger.Void(ledger.Hold(Hold(A, 400, "m-1", "o-4", "")).AuthorizationId!);

        // The same order number at two merchants is two orders.
        ledger.Hold(Hold(B, 50, "m-1", "o-3", ""));
        ledger.Hold(Hold(B, 50, "m-2", "o-3", ""));
        return ledger.Invariants();
    }

    private static List<string> Read(ILedger ledger)
    {
        var ids = Enumerable.Range(1, 7).Select(i => ledger.Hold(Hold(i % 2 == 0 ? B : A, i * 100, "m-" + i, "o-" + i, "k-" + i)).AuthorizationId!).ToArray();
        ledger.Capture(ids[1], 0);
        ledger.Capture(ids[2], 0);
        ledger.Refund(ids[2], 100);
        ledger.Void(ids[4]);
        var log = new List<string>();
        LedgerCursor? cursor = null;
        do
        {
            var page = ledger.ReadPage(cursor, 3);
            log.Add($"page {page.Rows.Count} next {page.Next} more {page.More}");
            log.AddRange(page.Rows.Select(r =>
                $"{r.AuthorizationId} {r.State} {r.CapturedMinor}/{r.ReleasedMinor}/{r.RefundedMinor} {r with { AuthorizationId = "" }}"));
            cursor = page.More ? page.Next : null;
        }
        while (cursor is not null);

        var head = ledger.ReadPage(null, 0).Next;
        log.Add("head " + head);
        log.Add(Refusal(() => ledger.ReadPage(head with { Sequence = head.Sequence + 5 }, 1)));
        ledger.Reset();
        log.Add(Refusal(() => ledger.ReadPage(head, 1)));
        return log;
    }

    private static List<string> VoidScript(ILedger ledger)
    {
        var held = ledger.Hold(Hold(A, 500, "m", "o-1", "")).AuthorizationId!;
        var captured = ledger.Hold(Hold(A, 500, "m", "o-2", "")).AuthorizationId!;
        ledger.Capture(captured, 200);
        var log = new List<string>
        {
            ledger.Void(held).ToString(),
            ledger.Void(held).ToString(),
            ledger.Capture(held, 0).ToString(),
            ledger.Void(captured).ToString(),
            ledger.Void("auth_00000000ff").ToString(),
            ledger.AvailableMinor(A).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var inv = ledger.Invariants();
        log.Add($"{inv.HeldMinor} {inv.ReleasedMinor} {inv.CapturedMinor} {inv.MoneyConserved}");
        return log;
    }

    private static string Refusal(Action read)
    {
        var e = Assert.Throws<LedgerCursorException>(read);
        return (e.Stale ? "stale: " : "outside: ") + e.Message;
    }

    private static HoldRequest Hold(string pan, long amount, string merchant, string order, string key) =>
        new(pan, amount, long.MaxValue, merchant, order, key, Today, "tok-" + pan[^1], "issuer-" + (amount % 3), 1_700_000_000_000 + amount);
}

using PaySim.Simulator.Ledger;
using PaySim.Simulator.State.Redis;

namespace PaySim.Simulator.Tests.State;

/// <summary>The Redis ledger's verdict (counted inside Redis) must be the in-memory ledger's, charge for charge.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisLedgerParityTests(RedisServerFixture redis)
{
    private const string A = "6200000000000001";
    private const string B = "6200000000000002";
    private static readonly DateOnly Today = new(2026, 11, 23);

    [ToolFact(ExternalTools.RedisServer)]
    public void Duplicate_charges_by_order_and_by_key_are_counted_alike_and_a_fully_refunded_repeat_is_not_one()
    {
        using var connection = redis.Connect();
        var opening = new[] { KeyValuePair.Create(A, 1_000_000L), KeyValuePair.Create(B, 1_000_000L) };
        var memory = Script(new InMemoryLedger(opening));
        var inRedis = Script(new RedisLedger(connection, new RedisKeys(RedisTestIssuer.NewCluster()), opening));

        Assert.Equal(3, memory.DuplicateCharges);
        Assert.Equal(
            (memory.DuplicateCharges, memory.Authorizations, memory.MoneyConserved, memory.BalancesMinor, memory.HeldMinor, memory.CapturedMinor, memory.RefundedMinor),
            (inRedis.DuplicateCharges, inRedis.Authorizations, inRedis.MoneyConserved, inRedis.BalancesMinor, inRedis.HeldMinor, inRedis.CapturedMinor, inRedis.RefundedMinor));
        Assert.Equal(memory.Violations.Order(StringComparer.Ordinal), inRedis.Violations.Order(StringComparer.Ordinal));
        Assert.Contains("merchant 'm-1' order 'o-1' was charged 3 times", memory.Violations);
        Assert.Contains("idempotency key 'k-1' moved money 2 times", memory.Violations);
    }

    private static LedgerInvariants Script(ILedger ledger)
    {
        // o-1 three times without a key: two extra charges.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(LedgerOutcome.Approved, ledger.Hold(new HoldRequest(A, 100, long.MaxValue, "m-1", "o-1", "", Today)).Outcome);
        }

        // One key on two different orders: one extra charge.
        ledger.Hold(new HoldRequest(B, 200, long.MaxValue, "m-1", "o-k1", "k-1", Today));
        ledger.Hold(new HoldRequest(B, 200, long.MaxValue, "m-1", "o-k2", "k-1", Today));

        // o-2 twice, but the repeat was captured and refunded in full: not a double charge any more.
        ledger.Hold(new HoldRequest(A, 300, long.MaxValue, "m-1", "o-2", "", Today));
        var repeat = ledger.Hold(new HoldRequest(A, 300, long.MaxValue, "m-1", "o-2", "", Today)).AuthorizationId!;
        ledger.Capture(repeat, 0);
        ledger.Refund(repeat, 300);

        // The same order number at two merchants is two orders.
        ledger.Hold(new HoldRequest(B, 50, long.MaxValue, "m-1", "o-3", "", Today));
        ledger.Hold(new HoldRequest(B, 50, long.MaxValue, "m-2", "o-3", "", Today));
        return ledger.Invariants();
    }
}

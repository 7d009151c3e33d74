using System.Collections.Concurrent;
using PaySim.Simulator.State.Redis;
using StackExchange.Redis;

namespace PaySim.Simulator.Tests.State;

[Collection(RedisCollection.Name)]
public sealed class RedisIdempotencyStoreTests(RedisServerFixture redis)
{
    private readonly string _cluster = RedisTestIssuer.NewCluster();

    [ToolFact(ExternalTools.RedisServer)]
    public void Concurrent_callers_in_two_processes_run_the_operation_once_and_all_get_its_result()
    {
        using var second = redis.Connect();
        var a = Store(redis.Connection!);
        var b = Store(second);
        var runs = 0;
        var results = new ConcurrentBag<(string Value, bool Replayed)>();

        Parallel.For(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            var r = (i % 2 == 0 ? a : b).Run("Authorize", "k-1", "fp", () =>
            {
                Interlocked.Increment(ref runs);
                // Long enough that the other callers find the key pending and have to wait for it.
                redis.Connection!.GetDatabase().Ping();
                Thread.SpinWait(200_000);
                return new Reply("auth_" + i);
            });
            results.Add((r.Value!.Id, r.Replayed));
        });

        Assert.Equal(1, runs);
        Assert.Single(results.Select(r => r.Value).Distinct());
        Assert.Equal(1, results.Count(r => !r.Replayed));
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void A_different_request_under_a_used_key_is_refused_and_an_empty_key_always_runs()
    {
        var store = Store(redis.Connection!);
        var first = store.Run("Capture", "k", "fp-1", () => new Reply("one"));
        var reused = store.Run("Capture", "k", "fp-2", () => new Reply("two"));
        var otherScope = store.Run("Refund", "k", "fp-2", () => new Reply("three"));
        var noKey = store.Run("Capture", "", "fp-1", () => new Reply("four"));

        Assert.Equal(("one", false, false), (first.Value!.Id, first.KeyReused, first.Replayed));
        Assert.Equal((null, true), (reused.Value, reused.KeyReused));
        Assert.Equal("three", otherScope.Value!.Id);
        Assert.Equal(("four", false), (noKey.Value!.Id, noKey.Replayed));
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void A_failed_operation_frees_the_key_and_a_claim_left_by_a_dead_process_is_taken_over()
    {
        var store = Store(redis.Connection!);
        Assert.Throws<InvalidOperationException>(() => store.Run<Reply>("Authorize", "k", "fp", () => throw new InvalidOperationException("boom")));
        Assert.Equal(("retried", false), Pair(store.Run("Authorize", "k", "fp", () => new Reply("retried"))));

        // A pending claim whose lease has gone: its owner died between claim and completion.
        var keys = new RedisKeys(_cluster);
        redis.Connection!.GetDatabase().HashSet(keys.Idempotency("Authorize", "dead"), [new("fp", "fp"), new("state", "pending"), new("owner", "gone")]);
        Assert.Equal(("taken over", false), Pair(store.Run("Authorize", "dead", "fp", () => new Reply("taken over"))));
    }

    private static (string, bool) Pair(PaySim.Simulator.Idempotency.IdempotentResult<Reply> r) => (r.Value!.Id, r.Replayed);

    private RedisIdempotencyStore Store(IConnectionMultiplexer connection) =>
        new(connection, new RedisKeys(_cluster), new RedisStateOptions { Endpoint = redis.Endpoint, Cluster = _cluster });

    internal sealed record Reply(string Id);
}

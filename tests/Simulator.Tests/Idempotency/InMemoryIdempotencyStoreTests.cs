using PaySim.Simulator.Idempotency;
using Xunit;

namespace PaySim.Simulator.Tests.Idempotency;

public sealed class InMemoryIdempotencyStoreTests
{
    [Fact]
    public void A_run_that_threw_does_not_poison_the_key()
    {
        var store = new InMemoryIdempotencyStore();
        var runs = 0;

        Assert.Throws<InvalidOperationException>(() => store.Run<string>("bind", "k1", "fp", () =>
        {
            runs++;
            throw new InvalidOperationException("issuer fell over");
        }));

        var retry = store.Run("bind", "k1", "fp", () =>
        {
            runs++;
            return "ok";
        });

        Assert.Equal("ok", retry.Value);
        Assert.False(retry.Replayed);
        Assert.Equal(2, runs);
    }

    [Fact]
    public void A_completed_outcome_is_replayed_and_not_run_again()
    {
        var store = new InMemoryIdempotencyStore();
        var runs = 0;
        var first = store.Run("pay", "k", "fp", () => $"auth-{++runs}");
        var second = store.Run("pay", "k", "fp", () => $"auth-{++runs}");

        Assert.Equal("auth-1", first.Value);
        Assert.Equal("auth-1", second.Value);
        Assert.True(second.Replayed);
        Assert.Equal(1, runs);
    }

    [Fact]
    public void After_a_failed_run_a_different_request_may_take_the_key()
    {
        var store = new InMemoryIdempotencyStore();
        Assert.Throws<TimeoutException>(() => store.Run<string>("pay", "k", "fp-a", () => throw new TimeoutException()));

        var other = store.Run("pay", "k", "fp-b", () => "b");

        Assert.False(other.KeyReused);
        Assert.Equal("b", other.Value);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_successful_run()
    {
        var store = new InMemoryIdempotencyStore();
        var runs = 0;
        using var gate = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.Run("pay", "k", "fp", () =>
        {
            Interlocked.Increment(ref runs);
            gate.Wait(TimeSpan.FromSeconds(10));
            return "once";
        }))).ToArray();
        gate.Set();
        var results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(results, r => Assert.Equal("once", r.Value));
        Assert.Equal(1, runs);
        Assert.Equal(15, results.Count(r => r.Replayed));
    }
}

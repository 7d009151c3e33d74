using PaySim.Simulator.Binding;
using PaySim.Simulator.State.Redis;

namespace PaySim.Simulator.Tests.State;

[Collection(RedisCollection.Name)]
public sealed class RedisOtpStoreTests(RedisServerFixture redis)
{
    private static readonly OtpOptions Options = new() { Ttl = TimeSpan.FromSeconds(300), Attempts = 3, ResendCooldown = TimeSpan.FromSeconds(60) };

    [ToolFact(ExternalTools.RedisServer)]
    public void A_code_expires_after_its_ttl_on_the_injected_clock_and_can_be_resent_after_the_cooldown()
    {
        var (store, clock) = Store();
        Assert.True(store.TryIssue("b1", "111111", clock.GetUtcNow(), out _));

        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.False(store.TryIssue("b1", "222222", clock.GetUtcNow(), out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(40), retryAfter);

        clock.Advance(TimeSpan.FromSeconds(280));
        Assert.Equal(OtpVerdict.Expired, store.Verify("b1", "111111", clock.GetUtcNow(), out var left));
        Assert.Equal(3, left);

        Assert.True(store.TryIssue("b1", "333333", clock.GetUtcNow(), out _));
        clock.Advance(TimeSpan.FromSeconds(299));
        Assert.Equal(OtpVerdict.Accepted, store.Verify("b1", " 333333 ", clock.GetUtcNow(), out _));
        // The accepted code stays accepted (a racing confirm finishes with it); another code is Used, and neither counts an attempt.
        Assert.Equal(OtpVerdict.Accepted, store.Verify("b1", "333333", clock.GetUtcNow(), out _));
        Assert.Equal(OtpVerdict.Used, store.Verify("b1", "444444", clock.GetUtcNow(), out _));
        Assert.Equal(OtpVerdict.Used, store.Verify("b1", "444444", clock.GetUtcNow(), out _));
        Assert.Equal(OtpVerdict.Accepted, store.Verify("b1", "333333", clock.GetUtcNow(), out _));
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void Wrong_codes_use_up_the_attempts_and_then_even_the_right_code_is_refused()
    {
        var (store, clock) = Store();
        Assert.True(store.TryIssue("b1", "111111", clock.GetUtcNow(), out _));

        Assert.Equal(OtpVerdict.Wrong, store.Verify("b1", "000000", clock.GetUtcNow(), out var left1));
        Assert.Equal(OtpVerdict.Wrong, store.Verify("b1", "000000", clock.GetUtcNow(), out var left2));
        Assert.Equal(OtpVerdict.AttemptsExceeded, store.Verify("b1", "000000", clock.GetUtcNow(), out var left3));
        Assert.Equal((2, 1, 0), (left1, left2, left3));
        Assert.Equal(OtpVerdict.AttemptsExceeded, store.Verify("b1", "111111", clock.GetUtcNow(), out _));
        Assert.Equal(OtpVerdict.Unknown, store.Verify("nobody", "111111", clock.GetUtcNow(), out _));
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void Concurrent_wrong_guesses_over_two_connections_never_get_more_than_the_allowed_attempts()
    {
        var (store, clock) = Store();
        using var second = redis.Connect();
        var other = new RedisOtpStore(second, new RedisKeys(_cluster), Options, TimeSpan.FromHours(1));
        Assert.True(store.TryIssue("b1", "111111", clock.GetUtcNow(), out _));

        var wrong = 0;
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if ((i % 2 == 0 ? store : other).Verify("b1", "000000", clock.GetUtcNow(), out _) == OtpVerdict.Wrong)
            {
                Interlocked.Increment(ref wrong);
            }
        });

        Assert.Equal(2, wrong);
    }

    private readonly string _cluster = RedisTestIssuer.NewCluster();

    private (RedisOtpStore Store, Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock) Store() =>
        (new RedisOtpStore(redis.Connection!, new RedisKeys(_cluster), Options, TimeSpan.FromHours(1)), RedisTestIssuer.NewClock());
}

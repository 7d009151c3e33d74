using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PaySim.Wallet.Payments;

namespace PaySim.Wallet.Tests.Payments;

public sealed class RecoveryLoopTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Runs_one_pass_per_interval_of_its_clock_and_none_before()
    {
        var time = new FakeTimeProvider();
        var passes = new SemaphoreSlim(0);
        var count = 0;
        await using var loop = new RecoveryLoop(_ => { Interlocked.Increment(ref count); passes.Release(); return Task.CompletedTask; }, Interval, time, NullLogger.Instance);

        time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.False(await passes.WaitAsync(TimeSpan.FromMilliseconds(100)));

        for (var i = 1; i <= 3; i++)
        {
            time.Advance(Interval);
            Assert.True(await passes.WaitAsync(TimeSpan.FromSeconds(10)), $"pass {i}");
        }

        Assert.Equal(3, Volatile.Read(ref count));
    }

    [Fact]
    public async Task A_pass_that_throws_is_logged_and_the_next_one_still_runs()
    {
        var time = new FakeTimeProvider();
        var passes = new SemaphoreSlim(0);
        var calls = 0;
        await using var loop = new RecoveryLoop(_ =>
        {
            passes.Release();
            return Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("database is locked") : Task.CompletedTask;
        }, Interval, time, NullLogger.Instance);

        time.Advance(Interval);
        Assert.True(await passes.WaitAsync(TimeSpan.FromSeconds(10)));
        time.Advance(Interval);
        Assert.True(await passes.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task Disposing_cancels_the_pass_in_flight_and_stops_the_loop()
    {
        var time = new FakeTimeProvider();
        var started = new TaskCompletionSource();
        var cancelled = false;
        var loop = new RecoveryLoop(async ct =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
        }, Interval, time, NullLogger.Instance);
        time.Advance(Interval);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await loop.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(cancelled);
    }
}

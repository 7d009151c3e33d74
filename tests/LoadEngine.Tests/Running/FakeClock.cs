using Microsoft.Extensions.Time.Testing;

namespace PaySim.LoadEngine.Tests.Running;

internal static class FakeClock
{
    /// <summary>
    /// Advances fake time in steps until the run finishes. Between steps it lets the engine's
    /// continuations run: on a loaded 2-core CI machine a fixed 2 ms pause is not enough, and
    /// time advanced under a continuation that has not run yet shows up as fake lateness.
    /// </summary>
    public static Task DriveAsync(FakeTimeProvider fake, Task run, TimeSpan step, TimeSpan maxFakeTime) =>
        DriveAsync(fake, run, step, maxFakeTime, stallAt: TimeSpan.MaxValue, stall: () => { });

    /// <summary>
    /// <see cref="DriveAsync(FakeTimeProvider, Task, TimeSpan, TimeSpan)"/>, except that the first step at which the fake
    /// time since the call has reached <paramref name="stallAt"/> runs <paramref name="stall"/> instead: it moves the
    /// clock itself, as a starved machine's clock moves on while none of the harness's work runs.
    /// </summary>
    public static async Task DriveAsync(FakeTimeProvider fake, Task run, TimeSpan step, TimeSpan maxFakeTime, TimeSpan stallAt, Action stall)
    {
        var start = fake.GetTimestamp();
        var stalled = false;
        var steps = (int)(maxFakeTime / step);
        for (var i = 0; i < steps && !run.IsCompleted; i++)
        {
            await Task.Delay(2);
            await SettleAsync();
            if (!stalled && fake.GetElapsedTime(start) >= stallAt)
            {
                stalled = true;
                stall();
            }
            else
            {
                fake.Advance(step);
            }
        }

        Assert.True(run.IsCompleted || await Task.WhenAny(run, Task.Delay(2000)) == run, "run did not finish within the fake time budget");
    }

    // Waits (at most 200 ms of real time) until the thread pool has no queued work left.
    private static async Task SettleAsync()
    {
        for (var i = 0; i < 100 && ThreadPool.PendingWorkItemCount > 0; i++)
        {
            await Task.Delay(2);
        }
    }
}

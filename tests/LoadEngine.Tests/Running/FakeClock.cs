using Microsoft.Extensions.Time.Testing;

namespace PaySim.LoadEngine.Tests.Running;

internal static class FakeClock
{
    /// <summary>Advances fake time in steps until the run finishes, giving continuations a moment of real time between steps.</summary>
    public static async Task DriveAsync(FakeTimeProvider fake, Task run, TimeSpan step, TimeSpan maxFakeTime)
    {
        var steps = (int)(maxFakeTime / step);
        for (var i = 0; i < steps && !run.IsCompleted; i++)
        {
            await Task.Delay(2);
            fake.Advance(step);
        }

        Assert.True(run.IsCompleted || await Task.WhenAny(run, Task.Delay(2000)) == run, "run did not finish within the fake time budget");
    }
}

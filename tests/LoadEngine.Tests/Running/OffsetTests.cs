using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace PaySim.LoadEngine.Tests.Running;

public sealed class OffsetTests
{
    [Fact]
    public async Task StartDelay_SequencesScenarios_OnTheRunClock()
    {
        var fake = new FakeTimeProvider();
        var t0 = fake.GetUtcNow();
        var firstSeen = new ConcurrentDictionary<string, TimeSpan>();
        Func<IScenarioContext, Task<Response>> Record() => ctx =>
        {
            firstSeen.TryAdd(ctx.ScenarioName, ctx.TimeProvider.GetUtcNow() - t0);
            return Task.FromResult(Response.Ok());
        };

        var login = Scenario.Create("login", Record())
            .WithLoadSimulations(LoadSimulation.Inject(2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)));
        var pay = Scenario.Create("pay", Record())
            .WithStartDelay(TimeSpan.FromSeconds(3))
            .WithLoadSimulations(LoadSimulation.Inject(2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));

        var run = LoadTestRunner.RegisterScenarios(login, pay).WithTimeProvider(fake).WithProgress(false).RunAsync();
        await FakeClock.DriveAsync(fake, run, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
        var result = await run;

        // Times on the run clock: from the run's start as the engine read it, not from the test's own first read, and
        // allowing the lateness the engine itself measured and reported. The driver moves the fake clock on every few
        // milliseconds of real time whether or not the engine has got to its next wait, so a busy machine's delay
        // shows as fake time (the CI failure of 2026-12-07: login first seen 0.3 s after the test's read).
        var runStart = result.Summary.StartedUtc - t0;
        var loginLag = TimeSpan.FromMilliseconds(result.GetScenario("login").MaxStartLagMs);
        var payLag = TimeSpan.FromMilliseconds(result.GetScenario("pay").MaxStartLagMs);
        Assert.InRange(firstSeen["login"] - runStart, TimeSpan.Zero, TimeSpan.FromMilliseconds(100) + loginLag);
        Assert.InRange(firstSeen["pay"] - runStart, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3.2) + payLag);
        Assert.Equal(6, result.GetScenario("login").Ok);
        Assert.Equal(4, result.GetScenario("pay").Ok);

        // rps is over each scenario's own measured time, not the whole run.
        Assert.InRange(result.GetScenario("pay").Rps, 1.9, 2.1);
    }
}

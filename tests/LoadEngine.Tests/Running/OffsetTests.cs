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

        Assert.InRange(firstSeen["login"], TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        Assert.InRange(firstSeen["pay"], TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3.2));
        Assert.Equal(6, result.GetScenario("login").Ok);
        Assert.Equal(4, result.GetScenario("pay").Ok);

        // rps is over each scenario's own measured time, not the whole run.
        Assert.InRange(result.GetScenario("pay").Rps, 1.9, 2.1);
    }
}

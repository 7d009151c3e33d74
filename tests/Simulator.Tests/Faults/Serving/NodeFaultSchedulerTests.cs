using Microsoft.Extensions.Time.Testing;
using PaySim.Simulator.Faults;
using PaySim.Simulator.Faults.Serving;

namespace PaySim.Simulator.Tests.Faults.Serving;

public sealed class NodeFaultSchedulerTests
{
    [Fact]
    public async Task Outage_TakesTheNodeDownAtStart_AndBringsItBackAfterDuration()
    {
        var time = new FakeTimeProvider();
        var engine = FaultTestEngine.Create(time);
        var target = new RecordingTarget();
        await using var scheduler = new NodeFaultScheduler(engine, ["issuer-1", "issuer-2"], target, TimeSpan.FromMilliseconds(100));
        scheduler.Start();

        engine.Apply("""{ "name": "loss", "node": "issuer-2", "outage": {}, "start": "1s", "duration": "3s" }""");
        time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.Empty(target.Changes);

        time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal([("issuer-2", NodeFaultState.Down)], target.Changes);

        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal([("issuer-2", NodeFaultState.Down), ("issuer-2", NodeFaultState.None)], target.Changes);
    }

    [Fact]
    public async Task NotServing_IsAppliedAsSoonAsTheRuleIsApplied_AndClearedWithIt()
    {
        var engine = FaultTestEngine.Create();
        var target = new RecordingTarget();
        await using var scheduler = new NodeFaultScheduler(engine, ["issuer-1"], target);
        scheduler.Start();

        engine.Apply("""{ "name": "sick", "node": "issuer-1", "notServing": {} }""");
        engine.Clear("sick");

        Assert.Equal([("issuer-1", NodeFaultState.NotServing), ("issuer-1", NodeFaultState.None)], target.Changes);
    }

    private sealed class RecordingTarget : INodeFaultTarget
    {
        public List<(string, NodeFaultState)> Changes { get; } = [];

        public Task ApplyAsync(string node, NodeFaultState state, CancellationToken cancellationToken)
        {
            lock (Changes)
            {
                Changes.Add((node, state));
            }

            return Task.CompletedTask;
        }
    }
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.SimulatorControl;
using PaySim.LoadTests.Tests.Support;
using PaySim.LoadTests.Timeline;

namespace PaySim.LoadTests.Tests.Timeline;

/// <summary>The fault timeline against a recording fake control plane, on a fake clock.</summary>
public sealed class FaultTimelineTests : IAsyncLifetime
{
    private const string PlanJson = """
        { "duration": "60s", "rate": 1, "scenarios": [ { "name": "payment" } ],
          "faults": [ { "name": "slow", "node": "issuer-1", "method": "Authorize", "latency": "50ms", "start": "5s", "duration": "10s" } ],
          "nodeEvents": [ { "node": "issuer-2", "state": "down", "start": "20s", "duration": "15s" },
                          { "node": "issuer-3", "state": "notServing", "start": "50s" } ] }
        """;

    private readonly ConcurrentQueue<string> _calls = new();
    private WebApplication? _app;
    private Uri? _uri;

    public async Task InitializeAsync()
    {
        _app = await FakeHttpServer.StartAsync(server =>
        {
            server.Run(async ctx =>
            {
                _calls.Enqueue($"{ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString}");
                await ctx.Response.WriteAsync("{}");
            });
        });
        _uri = FakeHttpServer.UriOf(_app);
    }

    public async Task DisposeAsync() => await _app!.DisposeAsync();

    [Fact]
    public async Task Timeline_AppliesEachFaultAtItsStartAndRevertsItAtItsEnd()
    {
        var time = new FakeTimeProvider();
        using var control = new ControlPlaneClient(_uri!);
        var timeline = new FaultTimeline(PlanCompiler.Compile(PlanJson, "t.json"), control, time);
        timeline.Start();

        await AdvanceAndWaitAsync(time, TimeSpan.FromSeconds(4.9), expectedCalls: 0);
        await AdvanceAndWaitAsync(time, TimeSpan.FromSeconds(0.1), expectedCalls: 1);
        Assert.Equal("POST /v1/faults", _calls.Last());

        await AdvanceAndWaitAsync(time, TimeSpan.FromSeconds(10), expectedCalls: 2);
        Assert.Equal("DELETE /v1/faults?name=slow", _calls.Last());

        await AdvanceAndWaitAsync(time, TimeSpan.FromSeconds(5), expectedCalls: 3);
        Assert.Equal("POST /v1/nodes/issuer-2/down", _calls.Last());

        await AdvanceAndWaitAsync(time, TimeSpan.FromSeconds(15), expectedCalls: 4);
        Assert.Equal("POST /v1/nodes/issuer-2/up", _calls.Last());

        await AdvanceAndWaitAsync(time, TimeSpan.FromSeconds(15), expectedCalls: 5);
        Assert.Equal("POST /v1/nodes/issuer-3/not-serving", _calls.Last());

        await timeline.DisposeAsync();
        Assert.Equal("POST /v1/nodes/issuer-3/serving", _calls.Last());
        Assert.Equal(6, _calls.Count);
        Assert.Equal(6, timeline.Log.Count);
        Assert.All(timeline.Log, e => Assert.Null(e.Error));
    }

    [Fact]
    public async Task Timeline_WhoseClockMovesOnBetweenReadingItAndWaiting_StillAppliesTheFaultAtItsStart()
    {
        // The CI failure this guards: the timeline read the clock (0 s), the test's clock moved to 4.9 s before the
        // timeline slept, and a sleep of "5 s from the read" then ended at 9.9 s: the fault due at 5 s never came.
        // Here the clock jumps by 4.9 s right after the timeline's first read of it, every time.
        var fake = new FakeTimeProvider();
        var time = new JumpingClock(fake, jumpOnRead: 2, by: TimeSpan.FromSeconds(4.9)); // read 1: Start; read 2: the first wait
        using var control = new ControlPlaneClient(_uri!);
        var timeline = new FaultTimeline(PlanCompiler.Compile(PlanJson, "t.json"), control, time);
        timeline.Start();

        await WaitForAsync(() => time.Jumped, TimeSpan.FromSeconds(5));
        Assert.True(time.Jumped, "the timeline never read the clock");
        await AdvanceAndWaitAsync(fake, TimeSpan.FromSeconds(0.1), expectedCalls: 1);
        Assert.Equal("POST /v1/faults", _calls.Last());
        Assert.Equal(5.0, timeline.Log.Single().AtS);

        await timeline.DisposeAsync();
    }

    /// <summary>A fake clock that moves on by itself once, right after its N-th timestamp read.</summary>
    private sealed class JumpingClock(FakeTimeProvider fake, int jumpOnRead, TimeSpan by) : TimeProvider
    {
        private int _reads;

        public bool Jumped => Volatile.Read(ref _reads) >= jumpOnRead;

        public override long TimestampFrequency => fake.TimestampFrequency;

        public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => fake.CreateTimer(callback, state, dueTime, period);

        public override long GetTimestamp()
        {
            var now = fake.GetTimestamp();
            if (Interlocked.Increment(ref _reads) == jumpOnRead)
            {
                fake.Advance(by);
            }

            return now;
        }
    }

    [Fact]
    public async Task Timeline_StoppedWhileANodeIsDown_BringsItBackAndSkipsWhatHadNotStarted()
    {
        var time = new FakeTimeProvider();
        using var control = new ControlPlaneClient(_uri!);
        var events = new PaySim.LoadEngine.RunEvents();
        var timeline = new FaultTimeline(PlanCompiler.Compile(PlanJson, "t.json"), control, time, events: events);
        timeline.Start();

        await AdvanceAndWaitAsync(time, TimeSpan.FromSeconds(25), expectedCalls: 3);
        await timeline.StopAsync();

        Assert.Equal(
            ["POST /v1/faults", "DELETE /v1/faults?name=slow", "POST /v1/nodes/issuer-2/down", "POST /v1/nodes/issuer-2/up"],
            _calls.ToArray());

        // The live progress is told of each action as it happens, in order.
        Assert.Equal(["fault slow", "fault slow ended", "node issuer-2 down", "node issuer-2 down ended"], events.All);
    }

    [Fact]
    public async Task Timeline_WalletEvents_CrashAndRestartAtTheirTimesAndAFreezeStillOnIsThawedAtTheEnd()
    {
        const string json = """
            { "duration": "60s", "rate": 1, "scenarios": [ { "name": "payment" } ],
              "nodeEvents": [ { "wallet": "wallet-2", "state": "crash", "start": "5s", "duration": "10s" },
                              { "wallet": "wallet-1", "state": "freeze", "start": "20s" } ] }
            """;
        var time = new FakeTimeProvider();
        using var control = new ControlPlaneClient(_uri!);
        var timeline = new FaultTimeline(PlanCompiler.Compile(json, "t.json"), control, time, new RecordingWallets(_calls));
        timeline.Start();

        await AdvanceAndWaitAsync(time, TimeSpan.FromSeconds(5), expectedCalls: 1);
        await AdvanceAndWaitAsync(time, TimeSpan.FromSeconds(10), expectedCalls: 2);
        await AdvanceAndWaitAsync(time, TimeSpan.FromSeconds(5), expectedCalls: 3);
        await timeline.DisposeAsync();

        Assert.Equal(["crash wallet-2", "restart wallet-2", "freeze wallet-1", "thaw wallet-1"], _calls.ToArray());
        var log = timeline.Log;
        Assert.Equal(["wallet wallet-2 crash", "wallet wallet-2 crash ended", "wallet wallet-1 freeze", "wallet wallet-1 freeze ended"], log.Select(e => e.What));
        Assert.Equal([5.0, 15.0, 20.0], log.Take(3).Select(e => e.AtS));
        Assert.Equal("hook restart wallet-2", log[1].Command);
        Assert.Equal(0, log[0].ExitCode);
        Assert.Equal(7, log[2].ExitCode);
        Assert.Equal("exit 7: no such pod", log[2].Error);
    }

    /// <summary>A wallet control that records each action; a freeze "fails" with exit 7, as a hook whose command failed.</summary>
    private sealed class RecordingWallets(ConcurrentQueue<string> calls) : PaySim.LoadTests.Cluster.IWalletInstanceControl
    {
        public Task<PaySim.LoadTests.Cluster.WalletActionResult> RunAsync(string instance, string action, CancellationToken cancellationToken)
        {
            calls.Enqueue($"{action} {instance}");
            return Task.FromResult(action == "freeze"
                ? new PaySim.LoadTests.Cluster.WalletActionResult($"hook {action} {instance}", 7, "exit 7: no such pod")
                : new PaySim.LoadTests.Cluster.WalletActionResult($"hook {action} {instance}", 0, null));
        }
    }

    /// <summary>Moves the fake clock one second at a time (so each due action runs) and waits, in real time, for the calls.</summary>
    private async Task AdvanceAndWaitAsync(FakeTimeProvider time, TimeSpan by, int expectedCalls)
    {
        var left = by;
        while (left > TimeSpan.Zero)
        {
            var step = left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1);
            time.Advance(step);
            left -= step;
            await Task.Delay(20);
        }

        await WaitForAsync(() => _calls.Count >= expectedCalls, TimeSpan.FromSeconds(5));
        Assert.Equal(expectedCalls, _calls.Count);
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (!condition() && DateTime.UtcNow < until)
        {
            await Task.Delay(10);
        }
    }
}

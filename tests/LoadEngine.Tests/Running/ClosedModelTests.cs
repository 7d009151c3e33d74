using System.Collections.Concurrent;

namespace PaySim.LoadEngine.Tests.Running;

public sealed class ClosedModelTests
{
    [Fact]
    public async Task Iterations_WithFourCopies_RunsExactlyTheCount()
    {
        var invocations = new ConcurrentBag<long>();
        var copies = new ConcurrentDictionary<int, int>();
        var scenario = Scenario.Create("exact", async ctx =>
            {
                invocations.Add(ctx.InvocationNumber);
                copies.AddOrUpdate(ctx.CopyId, 1, (_, n) => n + 1);
                await Task.Yield();
                return Response.Ok(sizeBytes: 10);
            })
            .WithLoadSimulations(LoadSimulation.Iterations(4, 1000));

        var result = await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false).RunAsync();
        var s = result.GetScenario("exact");

        Assert.Equal(1000, s.Ok);
        Assert.Equal(0, s.Fail);
        Assert.Equal(10_000, s.Bytes);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), invocations.Order());
        Assert.InRange(copies.Count, 1, 4);
        Assert.All(copies.Keys, id => Assert.InRange(id, 0, 3));
    }

    [Fact]
    public async Task KeepConstant_RunsThatManyCopiesAtOnce()
    {
        var current = 0;
        var peak = 0;
        var scenario = Scenario.Create("copies", async ctx =>
            {
                var now = Interlocked.Increment(ref current);
                InterlockedMax(ref peak, now);
                await Task.Delay(20, ctx.CancellationToken);
                Interlocked.Decrement(ref current);
                return Response.Ok();
            })
            .WithLoadSimulations(LoadSimulation.KeepConstant(5, TimeSpan.FromSeconds(1)));

        var result = await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false).RunAsync();

        Assert.Equal(5, peak);
        Assert.InRange(result.GetScenario("copies").Ok, 50, 260);
    }

    [Fact]
    public async Task Steps_AreTimedAndCountedSeparately_AndExceptionsBecomeFailures()
    {
        var scenario = Scenario.Create("steps", async ctx =>
            {
                var start = await Step.Run("start", ctx, () => Task.FromResult(Response.Ok("00")));
                var confirm = await Step.Run("confirm", ctx, () => ctx.InvocationNumber % 4 == 0
                    ? throw new InvalidOperationException("boom")
                    : Task.FromResult(Response.Ok("00")));
                return confirm.IsOk ? Response.Ok() : confirm;
            })
            .WithLoadSimulations(LoadSimulation.Iterations(2, 100));

        var result = await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false).RunAsync();
        var s = result.GetScenario("steps");

        Assert.Equal(75, s.Ok);
        Assert.Equal(25, s.Fail);
        Assert.Equal(25, s.StatusCodes["exception"]);
        Assert.Equal(["confirm", "start"], s.Steps.Select(x => x.Name));
        Assert.Equal(100, s.Steps.Single(x => x.Name == "start").StatusCodes["00"]);
        var confirm = s.Steps.Single(x => x.Name == "confirm");
        Assert.Equal((75, 25), (confirm.Ok, confirm.Fail));
        Assert.False(string.IsNullOrEmpty(confirm.Histogram));
        Assert.Equal(100, HistogramCodec.Decode(confirm.Histogram).TotalCount);
    }

    [Fact]
    public async Task MaxFailCount_Exceeded_StopsTheRunAndFailsTheVerdict()
    {
        var scenario = Scenario.Create("failing", async ctx =>
            {
                await Task.Delay(5, ctx.CancellationToken);
                return Response.Fail(503, "down");
            })
            .WithMaxFailCount(20)
            .WithLoadSimulations(LoadSimulation.KeepConstant(2, TimeSpan.FromSeconds(30)));

        var result = await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false).RunAsync();

        Assert.Contains("maxFailCount 20", result.AbortReason, StringComparison.Ordinal);
        Assert.True(result.Summary.DurationS < 10, $"run took {result.Summary.DurationS} s");
        Assert.Equal("fail", result.Summary.Verdict);
        Assert.Contains(result.Summary.Claims, c => c.Name == "failing: maxFailCount" && !c.Pass);
    }

    [Fact]
    public async Task WarmUp_IterationsAreRunButNotCounted()
    {
        var started = 0;
        var scenario = Scenario.Create("warm", async ctx =>
            {
                Interlocked.Increment(ref started);
                await Task.Delay(1, ctx.CancellationToken);
                return Response.Ok();
            })
            .WithWarmUpDuration(TimeSpan.FromSeconds(1))
            .WithLoadSimulations(LoadSimulation.Inject(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));

        var result = await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false).RunAsync();

        Assert.InRange(started, 39, 41);
        Assert.InRange(result.GetScenario("warm").Ok, 19, 21);
    }

    [Fact]
    public async Task InitAndClean_RunOnce_AndShareTheScenarioData()
    {
        var log = new ConcurrentQueue<string>();
        var scenario = Scenario.Create("lifecycle", ctx => Task.FromResult(Response.Ok()))
            .WithInit(ctx =>
            {
                log.Enqueue("init");
                ctx.Data["token"] = "abc";
                return Task.CompletedTask;
            })
            .WithClean(ctx =>
            {
                log.Enqueue("clean:" + ctx.Data["token"]);
                return Task.CompletedTask;
            })
            .WithLoadSimulations(LoadSimulation.Iterations(1, 3));

        await LoadTestRunner.RegisterScenarios(scenario).WithProgress(false).RunAsync();

        Assert.Equal(["init", "clean:abc"], log);
    }

    [Fact]
    public async Task MixingOpenAndClosedSimulations_IsRefusedBeforeTheRun()
    {
        var scenario = Scenario.Create("mixed", _ => Task.FromResult(Response.Ok()))
            .WithLoadSimulations(LoadSimulation.KeepConstant(1, TimeSpan.FromSeconds(1)), LoadSimulation.Inject(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));

        var ex = await Assert.ThrowsAsync<LoadConfigException>(() => LoadTestRunner.RegisterScenarios(scenario).WithProgress(false).RunAsync());

        Assert.Contains("mixes open", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SharedLoad_IsSplitByWeight()
    {
        var a = Scenario.Create("a", _ => Task.FromResult(Response.Ok())).WithWeight(3);
        var b = Scenario.Create("b", _ => Task.FromResult(Response.Ok())).WithWeight(1);

        var result = await LoadTestRunner.RegisterScenarios(a, b)
            .WithSharedLoad(LoadSimulation.Inject(40, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)))
            .WithProgress(false).RunAsync();

        Assert.Equal(30, result.GetScenario("a").Ok);
        Assert.Equal(10, result.GetScenario("b").Ok);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}

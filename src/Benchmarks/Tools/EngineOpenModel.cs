using System.Diagnostics;
using Grpc.Core;
using PaySim.LoadEngine;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// Rate accuracy of the engine's open model: <c>Inject(rate, 1 s, warm-up + duration)</c> of
/// <c>Authorize</c> calls against an unloaded target; prints the achieved rate and the dropped count.
/// </summary>
internal sealed class EngineOpenModel : ITool
{
    public string Name => "engine-open-model";

    public string Usage => "--target URL --rate 2000 --duration 10s [--warmup 2s] [--connections 2] [--max-concurrency 10000]";

    public IReadOnlyCollection<string> Options { get; } =
        ["target", "rate", "duration", "warmup", "connections", "max-concurrency", .. AuthorizeRequestOptions.Names];

    public async Task<int> RunAsync(ToolArguments args)
    {
        var target = args.GetUri("target");
        var rate = args.GetDouble("rate", 2000, 0.001, 1_000_000);
        var duration = args.GetDuration("duration", TimeSpan.FromSeconds(10));
        var warmup = args.GetDuration("warmup", TimeSpan.FromSeconds(2));
        var connections = args.GetInt("connections", 2, 1, 1024);
        var maxConcurrency = args.GetInt("max-concurrency", ScenarioProps.DefaultMaxConcurrency, 1, 1_000_000);
        var request = AuthorizeRequestOptions.Build(args);
        using var channels = new GrpcChannels(target, connections);
        await channels.ConnectAsync();

        // A wall-clock witness of the start rate, independent of the engine's own counters: a
        // dispatcher that fell behind would still start every iteration, only later and in bursts.
        var starts = new StartWitness(warmup, duration);
        var scenario = Scenario.Create(EngineRun.ScenarioName, async ctx =>
            {
                starts.Observe(Stopwatch.GetTimestamp());
                try
                {
                    await channels.For(ctx.InvocationNumber).AuthorizeAsync(request);
                    return Response.Ok();
                }
                catch (RpcException e)
                {
                    return Response.Fail(e.StatusCode.ToString());
                }
            })
            .WithWarmUpDuration(warmup)
            .WithMaxConcurrency(maxConcurrency)
            .WithLoadSimulations(LoadSimulation.Inject(rate, TimeSpan.FromSeconds(1), warmup + duration));
        var result = await EngineRun.RunAsync(Name, scenario);

        // The rate of the open model is the rate of starts, as the target saw them arrive.
        Console.WriteLine((result with { Rps = starts.RatePerSecond }).ToJson());
        return 0;
    }

    /// <summary>
    /// Counts the iterations that really started inside a fixed wall-clock window: from the end of
    /// the warm-up to the end of the run, measured from the first start (the engine's t = 0). A
    /// dispatcher that stalls and then bursts to catch up still shows: starts pushed past the end
    /// of the window are missing from the count.
    /// </summary>
    private sealed class StartWitness(TimeSpan warmup, TimeSpan duration)
    {
        private readonly long _from = (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        private readonly long _to = (long)((warmup + duration).TotalSeconds * Stopwatch.Frequency);
        private long _origin;
        private long _count;

        public double RatePerSecond => Interlocked.Read(ref _count) / duration.TotalSeconds;

        public void Observe(long now)
        {
            var origin = Interlocked.CompareExchange(ref _origin, now, 0);
            var offset = origin == 0 ? 0 : now - origin;
            if (offset >= _from && offset < _to)
            {
                Interlocked.Increment(ref _count);
            }
        }
    }
}

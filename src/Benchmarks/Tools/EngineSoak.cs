using System.Diagnostics;
using System.Text.Json;
using Grpc.Core;
using PaySim.LoadEngine;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// Memory of a long engine run: an open model at a steady rate against a gRPC target while this
/// process samples its own working set and managed heap. Growth compares the mean over the last
/// window with the mean over the first window after warm-up (window = 60 s, or a third of the
/// measured time for shorter runs), so one GC's timing does not decide the figure.
/// </summary>
internal sealed class EngineSoak : ITool
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => "engine-soak";

    public string Usage => "--target URL [--rate 1000] --duration 600s [--warmup 30s] [--sample 2s] [--connections 2]";

    public IReadOnlyCollection<string> Options { get; } =
        ["target", "rate", "duration", "warmup", "sample", "connections", .. AuthorizeRequestOptions.Names];

    public async Task<int> RunAsync(ToolArguments args)
    {
        var target = args.GetUri("target");
        var rate = args.GetDouble("rate", 1000, 1, 1_000_000);
        var duration = args.GetDuration("duration", TimeSpan.FromSeconds(600));
        var warmup = args.GetDuration("warmup", TimeSpan.FromSeconds(30));
        var sample = args.GetDuration("sample", TimeSpan.FromSeconds(2));
        var connections = args.GetInt("connections", 2, 1, 1024);
        if (duration <= warmup + sample * 6)
        {
            throw new UsageException("--duration must leave at least 6 samples after --warmup");
        }

        var request = AuthorizeRequestOptions.Build(args);
        using var channels = new GrpcChannels(target, connections);
        await channels.ConnectAsync();
        var scenario = Scenario.Create(EngineRun.ScenarioName, async ctx =>
            {
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
            .WithLoadSimulations(LoadSimulation.Inject(rate, TimeSpan.FromSeconds(1), duration));

        var samples = new List<(double Seconds, long WorkingSet, long Heap)>();
        using var stop = new CancellationTokenSource();
        var started = Stopwatch.GetTimestamp();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(sample);
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    using var self = Process.GetCurrentProcess();
                    samples.Add((Stopwatch.GetElapsedTime(started).TotalSeconds, self.WorkingSet64, GC.GetTotalMemory(false)));
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        var result = await EngineRun.RunAsync(Name, scenario);
        await stop.CancelAsync();
        await sampler;

        var measured = (duration - warmup).TotalSeconds;
        var window = Math.Min(60, measured / 3);
        var from = warmup.TotalSeconds;
        var end = samples.Count == 0 ? 0 : samples[^1].Seconds;
        var first = samples.Where(s => s.Seconds >= from && s.Seconds <= from + window).ToList();
        var last = samples.Where(s => s.Seconds >= end - window).ToList();
        if (first.Count == 0 || last.Count == 0)
        {
            await Console.Error.WriteLineAsync("engine-soak: too few memory samples");
            return 1;
        }

        double Mean(List<(double Seconds, long WorkingSet, long Heap)> xs, Func<(double Seconds, long WorkingSet, long Heap), long> f) =>
            xs.Average(x => (double)f(x));
        var wsFirst = Mean(first, s => s.WorkingSet);
        var wsLast = Mean(last, s => s.WorkingSet);
        var heapFirst = Mean(first, s => s.Heap);
        var heapLast = Mean(last, s => s.Heap);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            tool = Name,
            rps = result.Rps,
            ok = result.Ok,
            fail = result.Fail,
            dropped = result.Dropped,
            seconds = duration.TotalSeconds,
            windowSeconds = window,
            workingSetFirstMb = wsFirst / 1048576,
            workingSetLastMb = wsLast / 1048576,
            workingSetGrowthPct = 100 * (wsLast - wsFirst) / wsFirst,
            heapFirstMb = heapFirst / 1048576,
            heapLastMb = heapLast / 1048576,
            heapGrowthPct = 100 * (heapLast - heapFirst) / heapFirst,
        }, Json));
        return 0;
    }
}

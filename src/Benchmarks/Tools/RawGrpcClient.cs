using System.Diagnostics;
using Grpc.Core;
using PaySim.Contracts.Issuer.V1;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// The hand-written baseline the engine is measured against: N tasks over C channels, each
/// awaiting <c>Authorize</c> in a tight loop. Calls that complete during the warm-up are not
/// counted; calls still in flight at the end are not counted either.
/// </summary>
internal sealed class RawGrpcClient : ITool
{
    public string Name => "raw-grpc-client";

    public string Usage =>
        "--target URL --connections 1 --concurrency 16 --duration 10s " + Warmup.Usage + " [--card-token T] [--amount 100]";

    public IReadOnlyCollection<string> Options { get; } =
        ["target", "connections", "concurrency", "duration", "warmup", .. AuthorizeRequestOptions.Names];

    public async Task<int> RunAsync(ToolArguments args)
    {
        var target = args.GetUri("target");
        var connections = args.GetInt("connections", 1, 1, 1024);
        var concurrency = args.GetInt("concurrency", 16, 1, 100_000);
        var duration = args.GetDuration("duration", TimeSpan.FromSeconds(10));
        var warmup = Warmup.Parse(args, TimeSpan.FromSeconds(2));
        if (concurrency < connections)
        {
            throw new UsageException($"--concurrency ({concurrency}) must be at least --connections ({connections})");
        }

        var request = AuthorizeRequestOptions.Build(args);
        using var channels = new GrpcChannels(target, connections);
        await channels.ConnectAsync();

        WarmupReport? report = null;
        if (warmup.UntilStable)
        {
            report = await Warmup.UntilStableAsync(async window =>
                (await LoopAsync(channels, request, concurrency, TimeSpan.Zero, window)).Sum(r => r.Ok) / window.TotalSeconds);
        }

        var recorders = await LoopAsync(channels, request, concurrency, warmup.Fixed, duration);
        Console.WriteLine(LatencyRecorder.Merge(Name, recorders, duration).WithWarmup(report).ToJson());
        return 0;
    }

    /// <summary>N workers in a tight loop for <paramref name="warmup"/> + <paramref name="duration"/>; only calls inside the duration count.</summary>
    private static async Task<LatencyRecorder[]> LoopAsync(
        GrpcChannels channels, AuthorizeRequest request, int concurrency, TimeSpan warmup, TimeSpan duration)
    {
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var recorders = new LatencyRecorder[concurrency];
        var workers = new Task[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            var recorder = recorders[i] = new LatencyRecorder();
            var client = channels.For(i);
            workers[i] = Task.Run(async () =>
            {
                while (true)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    if (t0 >= stopAt)
                    {
                        return;
                    }

                    try
                    {
                        await client.AuthorizeAsync(request);
                        var t1 = Stopwatch.GetTimestamp();
                        if (t0 >= measureFrom && t1 <= stopAt)
                        {
                            recorder.RecordOk(t0, t1);
                        }
                    }
                    catch (RpcException)
                    {
                        if (t0 >= measureFrom)
                        {
                            recorder.RecordFail();
                        }
                    }
                }
            });
        }

        await Task.WhenAll(workers);
        return recorders;
    }
}

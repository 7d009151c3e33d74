using Grpc.Core;
using PaySim.LoadEngine;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// The raw loop's load through PaySim.LoadEngine: a closed model of N copies (KeepConstant) over
/// the same C channels, the same request and the same warm-up; copy i uses channel i mod C.
/// </summary>
internal sealed class EngineGrpcClient : ITool
{
    public string Name => "engine-grpc-client";

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

        ScenarioProps Scenario(TimeSpan warmUp, TimeSpan duration) => PaySim.LoadEngine.Scenario.Create(EngineRun.ScenarioName, async ctx =>
            {
                try
                {
                    await channels.For(ctx.CopyId).AuthorizeAsync(request);
                    return Response.Ok();
                }
                catch (RpcException e)
                {
                    return Response.Fail(e.StatusCode.ToString());
                }
            })
            .WithWarmUpDuration(warmUp)
            .WithLoadSimulations(LoadSimulation.KeepConstant(concurrency, warmUp + duration));

        // A stable warm-up runs the engine itself in one-second runs in this process, so the engine's own
        // code, not only the channel, is warm when the measured run starts.
        WarmupReport? report = null;
        if (warmup.UntilStable)
        {
            report = await Warmup.UntilStableAsync(async window => (await EngineRun.RunAsync(Name, Scenario(TimeSpan.Zero, window))).Rps);
        }

        Console.WriteLine((await EngineRun.RunAsync(Name, Scenario(warmup.Fixed, duration))).WithWarmup(report).ToJson());
        return 0;
    }
}

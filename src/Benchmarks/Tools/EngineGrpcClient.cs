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
        "--target URL --connections 1 --concurrency 16 --duration 10s [--warmup 2s] [--card-token T] [--amount 100]";

    public IReadOnlyCollection<string> Options { get; } =
        ["target", "connections", "concurrency", "duration", "warmup", .. AuthorizeRequestOptions.Names];

    public async Task<int> RunAsync(ToolArguments args)
    {
        var target = args.GetUri("target");
        var connections = args.GetInt("connections", 1, 1, 1024);
        var concurrency = args.GetInt("concurrency", 16, 1, 100_000);
        var duration = args.GetDuration("duration", TimeSpan.FromSeconds(10));
        var warmup = args.GetDuration("warmup", TimeSpan.FromSeconds(2));
        if (concurrency < connections)
        {
            throw new UsageException($"--concurrency ({concurrency}) must be at least --connections ({connections})");
        }

        var request = AuthorizeRequestOptions.Build(args);
        using var channels = new GrpcChannels(target, connections);
        await channels.ConnectAsync();

        var scenario = Scenario.Create(EngineRun.ScenarioName, async ctx =>
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
            .WithWarmUpDuration(warmup)
            .WithLoadSimulations(LoadSimulation.KeepConstant(concurrency, warmup + duration));
        Console.WriteLine((await EngineRun.RunAsync(Name, scenario)).ToJson());
        return 0;
    }
}

using PaySim.LoadEngine;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// HTTP/1.1 GET through PaySim.LoadEngine: a closed model of N copies sharing one HttpClient over
/// C connections — the engine's side of the wrk / hey comparison.
/// </summary>
internal sealed class EngineHttpClient : ITool
{
    public string Name => "engine-http-client";

    public string Usage => "--url URL --connections 16 --concurrency 16 --duration 10s [--warmup 2s]";

    public IReadOnlyCollection<string> Options { get; } = ["url", "connections", "concurrency", "duration", "warmup"];

    public async Task<int> RunAsync(ToolArguments args)
    {
        var url = args.GetUri("url");
        var connections = args.GetInt("connections", 16, 1, 10_000);
        var concurrency = args.GetInt("concurrency", 16, 1, 100_000);
        var duration = args.GetDuration("duration", TimeSpan.FromSeconds(10));
        var warmup = args.GetDuration("warmup", TimeSpan.FromSeconds(2));
        using var http = HttpClients.Create(connections);

        var scenario = Scenario.Create(EngineRun.ScenarioName, async ctx =>
            {
                using var response = await http.GetAsync(url, ctx.CancellationToken);
                var body = await response.Content.ReadAsByteArrayAsync(ctx.CancellationToken);
                return response.IsSuccessStatusCode
                    ? Response.Ok((int)response.StatusCode, body.Length)
                    : Response.Fail((int)response.StatusCode, sizeBytes: body.Length);
            })
            .WithWarmUpDuration(warmup)
            .WithLoadSimulations(LoadSimulation.KeepConstant(concurrency, warmup + duration));
        Console.WriteLine((await EngineRun.RunAsync(Name, scenario)).ToJson());
        return 0;
    }
}

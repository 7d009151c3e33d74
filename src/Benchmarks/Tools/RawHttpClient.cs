using System.Diagnostics;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// The hand-written HttpClient loop: what the engine's HTTP figure costs before the engine adds
/// anything (N tasks, one HttpClient over C connections).
/// </summary>
internal sealed class RawHttpClient : ITool
{
    public string Name => "raw-http-client";

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

        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var recorders = new LatencyRecorder[concurrency];
        var workers = new Task[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            var recorder = recorders[i] = new LatencyRecorder();
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
                        using var response = await http.GetAsync(url);
                        await response.Content.ReadAsByteArrayAsync();
                        var t1 = Stopwatch.GetTimestamp();
                        if (t0 >= measureFrom && t1 <= stopAt)
                        {
                            if (response.IsSuccessStatusCode)
                            {
                                recorder.RecordOk(t0, t1);
                            }
                            else
                            {
                                recorder.RecordFail();
                            }
                        }
                    }
                    catch (HttpRequestException)
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
        Console.WriteLine(LatencyRecorder.Merge(Name, recorders, duration).ToJson());
        return 0;
    }
}

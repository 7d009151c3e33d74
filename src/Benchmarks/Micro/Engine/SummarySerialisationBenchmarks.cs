using BenchmarkDotNet.Attributes;
using PaySim.LoadEngine;
using PaySim.LoadEngine.Statistics;

namespace PaySim.Benchmarks.Micro.Engine;

/// <summary>
/// summary.json of a run with 3 scenarios of 3 steps (100,000 recorded latencies each): the full
/// path (percentiles, base64 histograms, JSON) against the JSON serialisation alone of the same
/// summary, and the read back that a shard merge does.
/// </summary>
[MemoryDiagnoser]
public class SummarySerialisationBenchmarks
{
    private readonly List<ScenarioCollector> _collectors = [];
    private RunSummary _summary = null!;
    private string _json = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        foreach (var name in new[] { "bind", "pay", "refund" })
        {
            var collector = new ScenarioCollector(name);
            var ok = Response.Ok(200);
            foreach (var step in new[] { "start", "sms", "confirm" })
            {
                var stepCollector = collector.GetStep(step);
                for (var i = 0; i < 100_000; i++)
                {
                    stepCollector.Record(ok, 500 + random.Next(50_000));
                }
            }

            for (var i = 0; i < 100_000; i++)
            {
                collector.Record(ok, 1_500 + random.Next(150_000));
            }

            collector.TakeInterval();
            collector.TakeStepIntervals();
            _collectors.Add(collector);
        }

        _summary = Build();
        _json = _summary.ToJson();
    }

    [Benchmark(Baseline = true, Description = "JSON only (prebuilt summary)")]
    public int JsonOnly() => _summary.ToJson().Length;

    [Benchmark(Description = "summarise + encode + JSON")]
    public int SummariseAndSerialise() => Build().ToJson().Length;

    [Benchmark(Description = "read summary.json back")]
    public int Deserialise() => RunSummary.FromJson(_json).Scenarios.Count;

    private RunSummary Build()
    {
        var summary = new RunSummary { Plan = "bench", DurationS = 60 };
        foreach (var c in _collectors)
        {
            summary.Scenarios.Add(c.ToSummary(60, LoadTestRunner.DefaultPercentiles, encode: true));
        }

        return summary;
    }
}

using BenchmarkDotNet.Attributes;
using HdrHistogram;
using PaySim.LoadEngine;

namespace PaySim.Benchmarks.Micro.Engine;

/// <summary>
/// Merging per-shard latency histograms (100,000 lognormal-ish samples each): the engine's
/// <see cref="HistogramCodec.Merge(HistogramBase[])"/> and the base64 path that merges shards'
/// summary.json, against HdrHistogram's own Add into a preallocated histogram.
/// </summary>
[MemoryDiagnoser]
public class HistogramMergeBenchmarks
{
    private HistogramBase[] _shards = [];
    private string[] _encoded = [];
    private HistogramBase _target = null!;

    [Params(2, 16)]
    public int Shards { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _shards = new HistogramBase[Shards];
        for (var s = 0; s < Shards; s++)
        {
            var h = HistogramCodec.CreateHistogram();
            for (var i = 0; i < 100_000; i++)
            {
                // ~2 ms median with a long tail, in µs.
                var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                h.RecordValue((long)Math.Clamp(Math.Exp(7.6 + 0.8 * normal), 1, HistogramCodec.HighestMicros));
            }

            _shards[s] = h;
        }

        _encoded = _shards.Select(HistogramCodec.Encode).ToArray();
        _target = HistogramCodec.CreateHistogram();
    }

    [Benchmark(Baseline = true, Description = "HdrHistogram Add (preallocated)")]
    public long LibraryAdd()
    {
        _target.Reset();
        foreach (var shard in _shards)
        {
            _target.Add(shard);
        }

        return _target.TotalCount;
    }

    [Benchmark(Description = "HistogramCodec.Merge")]
    public long EngineMerge() => HistogramCodec.Merge(_shards).TotalCount;

    [Benchmark(Description = "HistogramCodec.Merge(base64)")]
    public long EngineMergeEncoded() => HistogramCodec.Merge(_encoded).TotalCount;
}

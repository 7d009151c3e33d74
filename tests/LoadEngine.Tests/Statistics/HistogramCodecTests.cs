using HdrHistogram;

namespace PaySim.LoadEngine.Tests.Statistics;

public sealed class HistogramCodecTests
{
    private static List<(long Value, long Count)> Buckets(HistogramBase h) =>
        h.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)).ToList();

    private static long[] Samples(int n, int seed)
    {
        var random = new Random(seed);

        // Log-uniform from 1 µs to ~10 s, the spread real latencies have.
        return Enumerable.Range(0, n).Select(_ => (long)Math.Exp(random.NextDouble() * Math.Log(10_000_000))).ToArray();
    }

    [Fact]
    public void Merge_OfTwoHalves_EqualsTheWhole()
    {
        var samples = Samples(20_000, 1);
        var whole = HistogramCodec.CreateHistogram();
        var first = HistogramCodec.CreateHistogram();
        var second = HistogramCodec.CreateHistogram();
        for (var i = 0; i < samples.Length; i++)
        {
            whole.RecordValue(samples[i]);
            (i % 2 == 0 ? first : second).RecordValue(samples[i]);
        }

        var merged = HistogramCodec.Merge(HistogramCodec.Encode(first), HistogramCodec.Encode(second));

        Assert.Equal(whole.TotalCount, merged.TotalCount);
        Assert.Equal(Buckets(whole), Buckets(merged));
        foreach (var p in new[] { 50, 90, 99, 99.9, 100 })
        {
            Assert.Equal(whole.GetValueAtPercentile(p), merged.GetValueAtPercentile(p));
        }
    }

    [Fact]
    public void EncodeDecode_RoundTrips_EveryBucket()
    {
        var h = HistogramCodec.CreateHistogram();
        foreach (var v in Samples(5000, 2))
        {
            h.RecordValue(v);
        }

        var text = HistogramCodec.Encode(h);
        var back = HistogramCodec.Decode(text);

        Assert.Equal(Buckets(h), Buckets(back));
        Assert.Equal(h.GetMean(), back.GetMean());
        Assert.Equal(h.GetMaxValue(), back.GetMaxValue());
        Assert.True(Convert.FromBase64String(text).Length < 5000 * 8, "compressed encoding should be far smaller than raw samples");
    }

    [Fact]
    public void Decode_OfNotBase64_IsAConfigError()
    {
        Assert.Throws<LoadConfigException>(() => HistogramCodec.Decode("not base64!"));
    }

    [Theory]
    [InlineData(50)]
    [InlineData(75)]
    [InlineData(90)]
    [InlineData(95)]
    [InlineData(99)]
    [InlineData(99.9)]
    [InlineData(100)]
    public void Percentiles_MatchASortedArrayReference_WithinHdrPrecision(double percentile)
    {
        var samples = Samples(100_000, 3);
        var h = HistogramCodec.CreateHistogram();
        foreach (var v in samples)
        {
            h.RecordValue(v);
        }

        var sorted = samples.Order().ToArray();
        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * sorted.Length));
        var reference = sorted[rank - 1];

        var summary = LatencySummary.FromHistogram(h, [percentile]);
        var observedMicros = summary.Percentiles["p" + percentile.ToString(System.Globalization.CultureInfo.InvariantCulture)] * 1000;

        // 3 significant digits: a bucket is at most 1/1024 of its value wide (+1 µs for the µs→ms rounding).
        Assert.InRange(observedMicros, reference - 1, (reference * (1 + 1.0 / 1024)) + 1);
    }

    [Fact]
    public void LatencySummary_FromHistogram_FillsTheFixedFieldsInMilliseconds()
    {
        var h = HistogramCodec.CreateHistogram();
        for (var ms = 1; ms <= 1000; ms++)
        {
            h.RecordValue(ms * 1000L);
        }

        var s = LatencySummary.FromHistogram(h);

        Assert.InRange(s.P50, 499.5, 501);
        Assert.InRange(s.P99, 989.5, 991);
        Assert.InRange(s.P999, 998.5, 1000);
        Assert.InRange(s.Max, 999.5, 1001);
        Assert.InRange(s.Mean, 499.5, 501.5);
        Assert.InRange(s.Min, 0.99, 1.01);
        Assert.Equal(["p50", "p75", "p90", "p95", "p99", "p99.9"], s.Percentiles.Keys);
    }
}

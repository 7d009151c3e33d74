using System.Text.Json.Serialization;
using HdrHistogram;
using PaySim.LoadEngine.Statistics;

namespace PaySim.LoadEngine;

/// <summary>Latency percentiles in milliseconds. The fixed fields are always present; <see cref="Percentiles"/> holds the configured list.</summary>
public sealed class LatencySummary
{
    public double P50 { get; set; }

    public double P75 { get; set; }

    public double P90 { get; set; }

    public double P95 { get; set; }

    public double P99 { get; set; }

    [JsonPropertyName("p999")]
    public double P999 { get; set; }

    public double Max { get; set; }

    public double Mean { get; set; }

    public double Min { get; set; }

    public double StdDev { get; set; }

    /// <summary>The configured percentiles by name ("p50", "p99.9", "p99.99").</summary>
    public Dictionary<string, double> Percentiles { get; set; } = [];

    public static LatencySummary FromHistogram(HistogramBase histogram, IEnumerable<double>? percentiles = null)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var s = new LatencySummary
        {
            P50 = HistogramMath.PercentileMs(histogram, 50),
            P75 = HistogramMath.PercentileMs(histogram, 75),
            P90 = HistogramMath.PercentileMs(histogram, 90),
            P95 = HistogramMath.PercentileMs(histogram, 95),
            P99 = HistogramMath.PercentileMs(histogram, 99),
            P999 = HistogramMath.PercentileMs(histogram, 99.9),
            Max = HistogramMath.MaxMs(histogram),
            Mean = HistogramMath.MeanMs(histogram),
            Min = HistogramMath.MinMs(histogram),
            StdDev = HistogramMath.StdDevMs(histogram),
        };
        foreach (var p in percentiles ?? LoadTestRunner.DefaultPercentiles)
        {
            s.Percentiles[HistogramMath.PercentileName(p)] = HistogramMath.PercentileMs(histogram, p);
        }

        return s;
    }
}

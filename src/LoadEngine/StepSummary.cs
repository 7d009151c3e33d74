using System.Text.Json.Serialization;
using HdrHistogram;

namespace PaySim.LoadEngine;

/// <summary>Statistics of one step; also the base of <see cref="ScenarioSummary"/> ("steps[] the same").</summary>
public class StepSummary
{
    private HistogramBase? _histogramObject;

    public string Name { get; set; } = string.Empty;

    public long Ok { get; set; }

    public long Fail { get; set; }

    /// <summary>Completed iterations (ok + fail) per second of the measured duration.</summary>
    public double Rps { get; set; }

    public LatencySummary LatencyMs { get; set; } = new();

    public Dictionary<string, long> StatusCodes { get; set; } = [];

    public long Bytes { get; set; }

    /// <summary>Measured seconds (the scenario's run time after warm-up).</summary>
    public double DurationS { get; set; }

    /// <summary>Base64 HdrHistogram (µs) of every recorded latency; merge with <see cref="HistogramCodec"/>.</summary>
    public string Histogram { get; set; } = string.Empty;

    /// <summary>The decoded histogram (decoded lazily from <see cref="Histogram"/> after deserialisation).</summary>
    [JsonIgnore]
    public HistogramBase? HistogramObject
    {
        get => _histogramObject ??= string.IsNullOrEmpty(Histogram) ? null : HistogramCodec.Decode(Histogram);
        set => _histogramObject = value;
    }

    /// <summary>
    /// One statistic by its threshold name (ok, fail_rate, p99, status[51], ...; durations in ms,
    /// rates as fractions); null when it has no value yet. <paramref name="dropped"/> answers
    /// the scenario-only dropped metrics.
    /// </summary>
    public double? GetStat(string metric, long dropped = 0) => Running.ThresholdMetrics.LookupStats(this, metric, dropped);
}

namespace PaySim.LoadTests.Tests.Running;

/// <summary>One ExponentialHistogramDataPoint of an OTLP export, with its metric's name, unit and temporality.</summary>
internal sealed record OtlpExponentialPoint(
    string Metric,
    string Unit,
    int Temporality,
    IReadOnlyDictionary<string, string> Attributes,
    ulong TimeUnixNano,
    ulong Count,
    double Sum,
    int Scale,
    ulong ZeroCount,
    IReadOnlyList<ulong> PositiveBucketCounts);

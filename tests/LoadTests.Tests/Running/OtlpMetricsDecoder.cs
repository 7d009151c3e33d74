using Google.Protobuf;

namespace PaySim.LoadTests.Tests.Running;

/// <summary>
/// Reads the exponential histograms out of an OTLP/HTTP protobuf body (opentelemetry-proto's
/// <c>collector/metrics/v1/metrics_service.proto</c> and <c>metrics/v1/metrics.proto</c>) with protobuf's own wire reader,
/// field by field: ExportMetricsServiceRequest.resource_metrics (1) → ResourceMetrics.scope_metrics (2) →
/// ScopeMetrics.metrics (2) → Metric {name (1), unit (3), exponential_histogram (10)} → ExponentialHistogram
/// {data_points (1), aggregation_temporality (2)} → ExponentialHistogramDataPoint {attributes (1) KeyValue {key (1),
/// value (2) AnyValue {string_value (1)}}, time_unix_nano (3) fixed64, count (4) fixed64, sum (5) double, scale (6) sint32,
/// zero_count (7) fixed64, positive (8) Buckets {offset (1) sint32, bucket_counts (2) repeated uint64: varints, unlike
/// the explicit histogram's fixed64}}. Every other field is skipped.
/// </summary>
internal static class OtlpMetricsDecoder
{
    /// <summary>AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE.</summary>
    public const int Cumulative = 2;

    public static List<OtlpExponentialPoint> ExponentialHistograms(byte[] body)
    {
        var points = new List<OtlpExponentialPoint>();
        foreach (var resourceMetrics in Repeated(body, 1))
        {
            foreach (var scopeMetrics in Repeated(resourceMetrics, 2))
            {
                foreach (var metric in Repeated(scopeMetrics, 2))
                {
                    ReadMetric(metric, points);
                }
            }
        }

        return points;
    }

    private static void ReadMetric(byte[] metric, List<OtlpExponentialPoint> points)
    {
        string name = "", unit = "";
        byte[]? histogram = null;
        var input = new CodedInputStream(metric);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: name = input.ReadString(); break;
                case 3: unit = input.ReadString(); break;
                case 10: histogram = input.ReadBytes().ToByteArray(); break;
                default: input.SkipLastField(); break;
            }
        }

        if (histogram is null)
        {
            return;
        }

        var temporality = 0;
        var dataPoints = new List<byte[]>();
        input = new CodedInputStream(histogram);
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: dataPoints.Add(input.ReadBytes().ToByteArray()); break;
                case 2: temporality = input.ReadEnum(); break;
                default: input.SkipLastField(); break;
            }
        }

        points.AddRange(dataPoints.Select(p => ReadPoint(name, unit, temporality, p)));
    }

    private static OtlpExponentialPoint ReadPoint(string name, string unit, int temporality, byte[] point)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        ulong time = 0, count = 0, zeroCount = 0;
        double sum = 0;
        var scale = 0;
        var positive = new List<ulong>();
        var input = new CodedInputStream(point);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    var (key, value) = ReadKeyValue(input.ReadBytes().ToByteArray());
                    attributes[key] = value;
                    break;
                case 3: time = input.ReadFixed64(); break;
                case 4: count = input.ReadFixed64(); break;
                case 5: sum = input.ReadDouble(); break;
                case 6: scale = input.ReadSInt32(); break;
                case 7: zeroCount = input.ReadFixed64(); break;
                case 8: positive.AddRange(ReadBucketCounts(input.ReadBytes().ToByteArray())); break;
                default: input.SkipLastField(); break;
            }
        }

        return new OtlpExponentialPoint(name, unit, temporality, attributes, time, count, sum, scale, zeroCount, positive);
    }

    private static (string Key, string Value) ReadKeyValue(byte[] keyValue)
    {
        string key = "", value = "";
        var input = new CodedInputStream(keyValue);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: key = input.ReadString(); break;
                case 2: value = ReadStringValue(input.ReadBytes().ToByteArray()); break;
                default: input.SkipLastField(); break;
            }
        }

        return (key, value);
    }

    // AnyValue: string_value (1); any other kind reads as "" (the exports here tag with strings only).
    private static string ReadStringValue(byte[] anyValue)
    {
        var value = "";
        var input = new CodedInputStream(anyValue);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                value = input.ReadString();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return value;
    }

    // Buckets.bucket_counts (2), uint64: packed (one length-delimited run of varints) or one varint a field.
    private static List<ulong> ReadBucketCounts(byte[] buckets)
    {
        var counts = new List<ulong>();
        var input = new CodedInputStream(buckets);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) != 2)
            {
                input.SkipLastField();
            }
            else if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                var packed = new CodedInputStream(input.ReadBytes().ToByteArray());
                while (!packed.IsAtEnd)
                {
                    counts.Add(packed.ReadUInt64());
                }
            }
            else
            {
                counts.Add(input.ReadUInt64());
            }
        }

        return counts;
    }

    // Every length-delimited field numbered field of a message, as bytes.
    private static IEnumerable<byte[]> Repeated(byte[] message, int field)
    {
        var input = new CodedInputStream(message);
        uint tag;
        var found = new List<byte[]>();
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }
}

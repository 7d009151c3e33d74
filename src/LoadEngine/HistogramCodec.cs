using HdrHistogram;
using HdrHistogram.Utilities;

namespace PaySim.LoadEngine;

/// <summary>
/// Latency histograms as text: HdrHistogram's compressed V2 encoding in base64 (the same bytes the
/// Java and Go HdrHistogram read), so shards of a run can be merged exactly later.
/// Values are microseconds, 1 µs to 1 h, 3 significant digits.
/// </summary>
public static class HistogramCodec
{
    public const long LowestMicros = 1;

    public const long HighestMicros = 3_600_000_000;

    public const int SignificantDigits = 3;

    /// <summary>An empty histogram with the engine's range and precision.</summary>
    public static HistogramBase CreateHistogram() => new LongHistogram(LowestMicros, HighestMicros, SignificantDigits);

    public static string Encode(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var buffer = ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        var length = histogram.EncodeIntoCompressedByteBuffer(buffer);

        // ByteBuffer exposes no public array copy in 2.5.0; read the encoded bytes back one by one.
        var bytes = new byte[length];
        buffer.Position = 0;
        for (var i = 0; i < length; i++)
        {
            bytes[i] = buffer.Get();
        }

        return Convert.ToBase64String(bytes);
    }

    public static HistogramBase Decode(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException ex)
        {
            throw new LoadConfigException("histogram: not valid base64.", ex);
        }

        return HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(bytes), 0);
    }

    /// <summary>Adds every histogram into a new one; the result is exact (bucket counts add).</summary>
    public static HistogramBase Merge(IEnumerable<HistogramBase> histograms)
    {
        ArgumentNullException.ThrowIfNull(histograms);
        var result = CreateHistogram();
        foreach (var h in histograms)
        {
            result.Add(h);
        }

        return result;
    }

    public static HistogramBase Merge(params HistogramBase[] histograms) => Merge((IEnumerable<HistogramBase>)histograms);

    /// <summary>Decodes and merges base64 histograms (e.g. the same scenario from several shards' summary.json).</summary>
    public static HistogramBase Merge(IEnumerable<string> base64Histograms) => Merge(base64Histograms.Select(Decode));

    public static HistogramBase Merge(params string[] base64Histograms) => Merge((IEnumerable<string>)base64Histograms);
}

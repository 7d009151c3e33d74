using HdrHistogram;

namespace PaySim.LoadEngine.Statistics;

internal static class HistogramMath
{
    internal static double PercentileMs(HistogramBase h, double percentile) =>
        h.TotalCount == 0 ? 0 : h.GetValueAtPercentile(percentile) / 1000.0;

    internal static double MeanMs(HistogramBase h) => h.TotalCount == 0 ? 0 : h.GetMean() / 1000.0;

    internal static double MaxMs(HistogramBase h) => h.TotalCount == 0 ? 0 : h.GetMaxValue() / 1000.0;

    internal static double StdDevMs(HistogramBase h) => h.TotalCount == 0 ? 0 : h.GetStdDeviation() / 1000.0;

    internal static double MinMs(HistogramBase h)
    {
        if (h.TotalCount == 0)
        {
            return 0;
        }

        foreach (var v in h.RecordedValues())
        {
            return h.LowestEquivalentValue(v.ValueIteratedTo) / 1000.0;
        }

        return 0;
    }

    internal static string PercentileName(double p) =>
        "p" + p.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}

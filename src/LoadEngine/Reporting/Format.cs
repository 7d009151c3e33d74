using System.Globalization;

namespace PaySim.LoadEngine.Reporting;

internal static class Format
{
    public static string Ms(double v) => v.ToString(v >= 100 ? "0.#" : "0.###", CultureInfo.InvariantCulture);

    public static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Int(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    public static string Pct(long part, long whole) =>
        whole == 0 ? "n/a" : (100.0 * part / whole).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    public static string Bytes(long b) => b switch
    {
        >= 1L << 30 => (b / (double)(1L << 30)).ToString("0.##", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (b / (double)(1L << 20)).ToString("0.##", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (b / (double)(1L << 10)).ToString("0.##", CultureInfo.InvariantCulture) + " KiB",
        _ => b.ToString(CultureInfo.InvariantCulture) + " B",
    };

    public static string Codes(Dictionary<string, long> codes) =>
        string.Join(", ", codes.Select(kv => $"{kv.Key}: {kv.Value.ToString(CultureInfo.InvariantCulture)}"));
}

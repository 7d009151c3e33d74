using System.Globalization;
using System.Text.RegularExpressions;

namespace PaySim.LoadTests.Plans;

/// <summary>Durations as people write them in plans and flags: "500ms", "30s", "2m", "1h", "1m30s".</summary>
internal static partial class DurationText
{
    public const string Allowed = "a number with a unit ms, s, m or h, e.g. \"500ms\", \"30s\", \"2m\", \"1m30s\"";

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        var matches = Part().Matches(trimmed);
        if (matches.Count == 0 || matches.Sum(m => m.Length) != trimmed.Length)
        {
            return false;
        }

        double ms = 0;
        foreach (Match m in matches)
        {
            var n = double.Parse(m.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            ms += m.Groups["u"].Value switch
            {
                "ms" => n,
                "s" => n * 1000,
                "m" => n * 60_000,
                _ => n * 3_600_000,
            };
        }

        value = TimeSpan.FromMilliseconds(ms);
        return true;
    }

    /// <summary>Parses or throws a <see cref="PlanException"/> naming <paramref name="field"/>.</summary>
    public static TimeSpan Parse(string? text, string field)
    {
        if (!TryParse(text, out var value))
        {
            throw new PlanException($"{field}: \"{text}\" is not a duration; expected {Allowed}.");
        }

        return value;
    }

    public static string Format(TimeSpan value)
    {
        if (value.TotalMilliseconds % 1000 != 0 || value == TimeSpan.Zero)
        {
            return value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
        }

        var s = (long)value.TotalSeconds;
        if (s % 3600 == 0)
        {
            return (s / 3600).ToString(CultureInfo.InvariantCulture) + "h";
        }

        if (s % 60 == 0)
        {
            return (s / 60).ToString(CultureInfo.InvariantCulture) + "m";
        }

        return s.ToString(CultureInfo.InvariantCulture) + "s";
    }

    [GeneratedRegex(@"(?<n>\d+(?:\.\d+)?)(?<u>ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}

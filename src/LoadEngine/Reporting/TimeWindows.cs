using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaySim.LoadEngine.Reporting;

/// <summary>
/// The fault and node-event windows of a run, read from the summary's <c>faultTimeline</c> extra field: an array of
/// <c>{what, atS, error}</c> in the order things happened, where "X" at atS opens a window named X and "X ended"
/// closes it. A window that never ended (or whose end failed) lasts to the end of the run; one that failed to
/// start keeps its error, so the report can say the fault did not happen.
/// </summary>
internal static class TimeWindows
{
    public const string Field = "faultTimeline";
    private const string Ended = " ended";

    public static IReadOnlyList<SvgChart.Band> FromTimeline(JsonNode? timeline, double runEndS)
    {
        if (timeline is not JsonArray entries)
        {
            return [];
        }

        var events = entries.OfType<JsonObject>()
            .Select(e => (What: Text(e["what"]), AtS: Number(e["atS"]), Error: Text(e["error"])))
            .Where(e => !string.IsNullOrEmpty(e.What) && e.AtS is not null)
            .Select(e => (What: e.What!, AtS: Math.Clamp(e.AtS!.Value, 0, Math.Max(0, runEndS)), e.Error))
            .OrderBy(e => e.AtS)
            .ToArray();
        var windows = new List<(string Name, double Start, double? End, string? Error)>();
        foreach (var (what, at, error) in events)
        {
            if (what.EndsWith(Ended, StringComparison.Ordinal))
            {
                var name = what[..^Ended.Length];
                var open = windows.FindIndex(w => w.Name == name && w.End is null);
                if (open >= 0 && error is null)
                {
                    windows[open] = windows[open] with { End = at };
                }

                continue;
            }

            windows.Add((what, at, null, error));
        }

        return windows.Select(w => new SvgChart.Band(w.Name, w.Start, w.End ?? Math.Max(w.Start, runEndS), w.Error)).ToArray();
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static double? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)
            : null;
}

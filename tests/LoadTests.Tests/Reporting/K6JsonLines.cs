using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace PaySim.LoadTests.Tests.Reporting;

/// <summary>
/// Reads a <c>--out json=</c> file as a k6 JSON-output consumer would and checks its shape on the way: every line one JSON
/// object with <c>type</c>, <c>data</c> and <c>metric</c>; one Metric line per metric, before its first Point; every Point
/// a UTC time, a number and string tags.
/// </summary>
internal sealed record K6JsonLines(IReadOnlyDictionary<string, JsonObject> Metrics, IReadOnlyList<K6Point> Points, int Lines)
{
    public static K6JsonLines Read(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    public static K6JsonLines Parse(string text)
    {
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "the last line ends with a newline");
        var metrics = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var points = new List<K6Point>();
        var lines = text.Split('\n', StringSplitOptions.None)[..^1];
        for (var i = 0; i < lines.Length; i++)
        {
            var line = JsonNode.Parse(lines[i])!.AsObject();
            Assert.Equal(["type", "data", "metric"], line.Select(kv => kv.Key));
            var metric = line["metric"]!.GetValue<string>();
            var data = line["data"]!.AsObject();
            switch (line["type"]!.GetValue<string>())
            {
                case "Metric":
                    Assert.True(metrics.TryAdd(metric, data), $"line {i + 1}: metric {metric} declared twice");
                    Assert.Equal(metric, data["name"]!.GetValue<string>());
                    Assert.Contains(data["type"]!.GetValue<string>(), new[] { "trend", "counter" });
                    Assert.Contains(data["contains"]!.GetValue<string>(), new[] { "time", "default" });
                    Assert.Empty(data["thresholds"]!.AsArray());
                    Assert.True(data.ContainsKey("submetrics") && data["submetrics"] is null);
                    break;
                case "Point":
                    Assert.True(metrics.ContainsKey(metric), $"line {i + 1}: a point of {metric} before its Metric line");
                    var time = data["time"]!.GetValue<string>();
                    Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", time);
                    var tags = data["tags"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal);
                    points.Add(new K6Point(metric, DateTimeOffset.Parse(time, CultureInfo.InvariantCulture), data["value"]!.GetValue<double>(), tags));
                    break;
                default:
                    Assert.Fail($"line {i + 1}: type {line["type"]}");
                    break;
            }
        }

        return new K6JsonLines(metrics, points, lines.Length);
    }

    public IEnumerable<K6Point> Of(string metric) => Points.Where(p => p.Metric == metric);
}

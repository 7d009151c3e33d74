using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// report.html of a real run, opened from disk in headless Chromium: what the browser's DOM holds is what the run
/// measured (timeseries.csv, timeseries-steps.csv) and what it did (summary.json's faultTimeline).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReportInBrowserTests
{
    // The SVG plot: x = 64 + x / x-max × 880.
    private const double PlotLeft = 64;
    private const double PlotWidth = 880;

    [ToolFact(ExternalTools.Chromium)]
    public async Task DefaultPlanReport_InHeadlessChromium_ShadesIssuer2sOutageOnEveryChart_AndPlotsEveryMeasuredSecond()
    {
        // 10 s of the default plan: issuer-2 is down from 25/6 s to 40/6 s.
        var run = await ShortRun.RunAsync("default");
        try
        {
            var dom = await Chromium.DumpDomAsync(Path.Combine(run.Folder, "report.html"));

            var timeline = run.Summary["faultTimeline"]!.AsArray();
            var downAt = timeline.Single(e => e!["what"]!.GetValue<string>() == "node issuer-2 down")!["atS"]!.GetValue<double>();
            var upAt = timeline.Single(e => e!["what"]!.GetValue<string>() == "node issuer-2 down ended")!["atS"]!.GetValue<double>();
            var seconds = Csv(Path.Combine(run.Folder, "timeseries.csv"));
            var steps = Csv(Path.Combine(run.Folder, "timeseries-steps.csv"));
            Assert.True(seconds.Count >= 9, $"{seconds.Count} seconds in timeseries.csv");

            var charts = Regex.Matches(dom, "<figure ([^>]*)>(.*?)</figure>", RegexOptions.Singleline)
                .Select(m => (Attrs: Attributes(m.Groups[1].Value), Body: m.Groups[2].Value))
                .Where(f => f.Attrs.GetValueOrDefault("class") == "chart")
                .ToDictionary(f => f.Attrs["data-chart"], f => f);
            Assert.Equal(["rate", "latency", "latency-steps:journey", "errors", "concurrency"], charts.Keys);

            // The outage, shaded and labelled on every time chart at the seconds it began and ended.
            foreach (var (id, chart) in charts)
            {
                var xMax = D(chart.Attrs["data-x-max"]);
                var band = Assert.Single(Regex.Matches(chart.Body, "<g ([^>]*data-fault=[^>]*)>(.*?)</g>", RegexOptions.Singleline));
                var attrs = Attributes(band.Groups[1].Value);
                Assert.Equal("node issuer-2 down", attrs["data-fault"]);
                Assert.Equal(downAt, D(attrs["data-start-s"]), 3);
                Assert.Equal(upAt, D(attrs["data-end-s"]), 3);
                Assert.Equal(PlotLeft + (downAt / xMax * PlotWidth), D(attrs["data-x1"]), 0.06);
                Assert.Equal(PlotLeft + (upAt / xMax * PlotWidth), D(attrs["data-x2"]), 0.06);
                var rect = Attributes(Regex.Match(band.Groups[2].Value, "<rect ([^>]*)>").Groups[1].Value);
                Assert.Equal(D(attrs["data-x1"]), D(rect["x"]), 0.06);
                Assert.Equal(D(attrs["data-x2"]) - D(attrs["data-x1"]), D(rect["width"]), 0.11);
                Assert.Contains(">node issuer-2 down</text>", band.Groups[2].Value, StringComparison.Ordinal);
                Assert.True(xMax >= seconds[^1].Second && xMax >= upAt, $"{id}: x-max {xMax}");
            }

            // Latency: one point per second that completed iterations, with that second's p99 and p50.
            var measured = seconds.Where(r => r.Long("requests") > 0).ToArray();
            var latency = Lines(charts["latency"].Body);
            AssertLine(latency["journey p99"], measured.Select(r => ((double)r.Second, r.Double("p99_ms"))));
            AssertLine(latency["journey p50"], measured.Select(r => ((double)r.Second, r.Double("p50_ms"))));

            // Per step: one point per second the step completed in.
            var stepLines = Lines(charts["latency-steps:journey"].Body);
            var stepNames = steps.Select(r => r.Text("step")).Distinct().ToArray();
            Assert.Contains("pay", stepNames);
            Assert.Equal(stepNames.SelectMany(s => new[] { s + " p99", s + " p50" }).Order(StringComparer.Ordinal), stepLines.Keys.Order(StringComparer.Ordinal));
            foreach (var step in stepNames)
            {
                AssertLine(stepLines[step + " p99"], steps.Where(r => r.Text("step") == step).Select(r => ((double)r.Second, r.Double("p99_ms"))));
            }

            // Achieved rate from the first second with data; the target every second, as timeseries.csv has it.
            var rate = Lines(charts["rate"].Body);
            var first = seconds.FindIndex(r => r.Long("requests") + r.Long("dropped") > 0);
            AssertLine(rate["journey achieved"], seconds.Skip(first).Select(r => ((double)r.Second, r.Double("rps"))));
            AssertLine(rate["journey target"], seconds.Select(r => ((double)r.Second, r.Double("target_rps"))));

            // Each second's target is the plan's 12/s over the part of its interval (the previous tick to this one) inside
            // the 10 s schedule: 12 inside, less for the last, partial second, and less for a tick a busy machine fired
            // after the schedule's end (12 arrivals over 1.05 s is 11.43/s).
            var from = 0.0;
            foreach (var r in seconds)
            {
                var to = r.Double("elapsed_s");
                if (to - from >= 0.05)
                {
                    Assert.Equal(12 * Math.Max(0, Math.Min(to, 10) - from) / (to - from), r.Double("target_rps"), 0.05);
                }
                else
                {
                    Assert.InRange(r.Double("target_rps"), 0, 12); // a sliver of a second: elapsed_s's 3 decimals cannot place its share
                }

                from = to;
            }

            Assert.Equal(12, rate["journey target"].Ys[0], 0.05);

            // The JSON dump is there, collapsed; nothing is fetched from anywhere.
            Assert.Matches("<details><summary>summary\\.json fields beyond the engine's \\([0-9]+\\):[^<]*faultTimeline[^<]*</summary><pre>", dom);
            Assert.DoesNotContain("<details open", dom, StringComparison.Ordinal);
            Assert.DoesNotMatch("(src|href)=\"(https?:)?//", dom);
        }
        finally
        {
            run.Delete();
        }
    }

    /// <summary>
    /// The line's data (data-x, data-y) is exactly the expected points, and the browser drew that many: polyline
    /// vertices plus lone dots, one per point.
    /// </summary>
    private static void AssertLine(Line line, IEnumerable<(double X, double Y)> expected)
    {
        var points = expected.ToArray();
        Assert.Equal(points.Length, line.Count);
        Assert.Equal(points.Select(p => p.X), line.Xs);
        Assert.Equal(points.Select(p => Math.Round(p.Y, 3)), line.Ys);
        Assert.Equal(points.Length, line.Drawn);
    }

    private static Dictionary<string, Line> Lines(string chart) =>
        Regex.Matches(chart, "<g ([^>]*data-series=[^>]*)>(.*?)</g>", RegexOptions.Singleline).ToDictionary(
            m => Attributes(m.Groups[1].Value)["data-series"],
            m =>
            {
                var a = Attributes(m.Groups[1].Value);
                var body = m.Groups[2].Value;
                var vertices = Regex.Matches(body, "<polyline [^>]*\\bpoints=\"([^\"]*)\"").Sum(p => p.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
                return new Line(int.Parse(a["data-points"], CultureInfo.InvariantCulture), Numbers(a["data-x"]), Numbers(a["data-y"]), vertices + Regex.Count(body, "<circle "));
            });

    private static Dictionary<string, string> Attributes(string tag) =>
        Regex.Matches(tag, "([a-zA-Z0-9:-]+)=\"([^\"]*)\"").ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));

    private static List<Row> Csv(string file)
    {
        var lines = File.ReadAllLines(file);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => new Row(header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second))).ToList();
    }

    private static double[] Numbers(string list) => list.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(D).ToArray();

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private sealed record Line(int Count, double[] Xs, double[] Ys, int Drawn);

    private sealed record Row(Dictionary<string, string> Cells)
    {
        public int Second => int.Parse(Cells["second"], CultureInfo.InvariantCulture);

        public string Text(string column) => Cells[column];

        public long Long(string column) => long.Parse(Cells[column], CultureInfo.InvariantCulture);

        public double Double(string column) => D(Cells[column]);
    }
}

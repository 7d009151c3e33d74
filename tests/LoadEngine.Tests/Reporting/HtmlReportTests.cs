using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PaySim.LoadEngine.Reporting;

namespace PaySim.LoadEngine.Tests.Reporting;

/// <summary>
/// report.html from known series: which points each chart plots and where, the fault windows on every time chart,
/// the capacity chart and its knee, the collapsed JSON. Plot geometry: x = 64 + x/max × 880, baseline y = 232, top y = 16.
/// </summary>
public sealed class HtmlReportTests
{
    private static readonly string[] TimeCharts = ["rate", "latency", "latency-steps:pay", "errors", "concurrency"];

    [Fact]
    public void AnEmptyFirstSecond_IsNoPoint_OnAnyMeasuredLine_NotAPointAtZero()
    {
        // Second 1 completed nothing (warm-up, first responses still in flight); seconds 2..5 did.
        var series = new[]
        {
            Point(1, requests: 0, p99: 0, target: 10, concurrency: 3),
            Point(2, requests: 10, p99: 40, target: 10),
            Point(3, requests: 11, p99: 50, target: 10),
            Point(4, requests: 12, p99: 60, target: 10),
            Point(5, requests: 13, p99: 70, target: 10),
        };

        var html = HtmlReport.Render(Summary(durationS: 5), series);

        var latency = Series(Figure(html, "latency"));
        Assert.Equal(4, latency["pay p99"].Count);
        Assert.Equal([2.0, 3, 4, 5], latency["pay p99"].Xs);
        Assert.Equal([40.0, 50, 60, 70], latency["pay p99"].Ys);
        Assert.Equal([2.0, 3, 4, 5], latency["pay p50"].Xs);
        // Drawn: one line of four vertices, none at second 1 (x = 240) and none on the baseline (y = 232).
        Assert.Equal(4, latency["pay p99"].Vertices.Count);
        Assert.Equal([240 + 176.0, 240 + 352, 240 + 528, 944], latency["pay p99"].Vertices.Select(v => v.X));
        Assert.DoesNotContain(latency["pay p99"].Vertices, v => v.X < 240.1 || v.Y > 231.9);

        var rate = Series(Figure(html, "rate"));
        Assert.Equal([2.0, 3, 4, 5], rate["pay achieved"].Xs);
        Assert.Equal([10.0, 11, 12, 13], rate["pay achieved"].Ys);
        // The target is the plan, known from the first second on.
        Assert.Equal([1.0, 2, 3, 4, 5], rate["pay target"].Xs);
        Assert.Equal([10.0, 10, 10, 10, 10], rate["pay target"].Ys);
        Assert.Equal(4, Series(Figure(html, "errors"))["pay fail"].Count);
        Assert.Equal(4, Series(Figure(html, "latency-steps:pay"))["authorize p99"].Count);
        // Concurrency was measured in second 1 too (3 in flight).
        Assert.Equal([3.0, 0, 0, 0, 0], Series(Figure(html, "concurrency"))["pay"].Ys);
    }

    [Fact]
    public void ASecondWithNothingCompletedMidRun_BreaksTheLatencyLines_ButIsARealZeroOnTheRateLine()
    {
        var series = new[]
        {
            Point(1, requests: 5, p99: 10),
            Point(2, requests: 0, p99: 0),
            Point(3, requests: 6, p99: 30),
            Point(4, requests: 0, p99: 0),
            Point(5, requests: 7, p99: 50),
            Point(6, requests: 8, p99: 60),
        };

        var html = HtmlReport.Render(Summary(durationS: 6), series);

        var p99 = Series(Figure(html, "latency"))["pay p99"];
        Assert.Equal([1.0, 3, 5, 6], p99.Xs);
        // Three runs of data: [1] and [3] alone (dots), [5, 6] a line.
        Assert.Equal(2, p99.Circles);
        Assert.Equal(1, p99.Polylines);
        Assert.Equal([(64 + (5 * 880 / 6.0), 232 - (50 / 100.0 * 216)), (944, 232 - (60 / 100.0 * 216))], p99.Vertices.Select(v => (v.X, v.Y)), new Near(0.06));
        var stepP99 = Series(Figure(html, "latency-steps:pay"))["authorize p99"];
        Assert.Equal([1.0, 3, 5, 6], stepP99.Xs);
        Assert.Equal(2, stepP99.Circles);

        // After the first data, a second with nothing completed is a measured 0 iterations per second.
        var achieved = Series(Figure(html, "rate"))["pay achieved"];
        Assert.Equal([1.0, 2, 3, 4, 5, 6], achieved.Xs);
        Assert.Equal([5.0, 0, 6, 0, 7, 8], achieved.Ys);
        Assert.Equal(1, achieved.Polylines);
        // A closed model has no target: no target line, and the caption says so.
        Assert.DoesNotContain("pay target", Figure(html, "rate"), StringComparison.Ordinal);
        Assert.Contains("closed model: no target rate", Figure(html, "rate"), StringComparison.Ordinal);
    }

    [Fact]
    public void FaultWindows_AreShadedOnEveryTimeChart_FromStartToEnd_AndOneNeverEndedLastsToTheEndOfTheRun()
    {
        var summary = Summary(durationS: 6);
        summary.Extra["faultTimeline"] = new JsonArray(
            Entry("node issuer-2 down", 2),
            Entry("fault slow-auth", 3),
            Entry("node issuer-2 down ended", 4));
        var series = Enumerable.Range(1, 6).Select(s => Point(s, requests: 10, p99: 20)).ToArray();

        var html = HtmlReport.Render(summary, series);

        Assert.Equal(TimeCharts, ChartIds(html));
        foreach (var chart in TimeCharts)
        {
            var bands = Bands(Figure(html, chart));
            Assert.Equal(2, bands.Count);
            var down = bands[0];
            Assert.Equal(("node issuer-2 down", 2.0, 4.0), (down.Name, down.StartS, down.EndS));
            // x = 64 + 2/6 × 880 = 357.3 and 64 + 4/6 × 880 = 650.7: the shaded rectangle spans them.
            Assert.Equal(357.3, down.X1);
            Assert.Equal(650.7, down.X2);
            Assert.Equal(357.3, down.RectX);
            Assert.Equal(293.3, down.RectWidth);
            Assert.Null(down.Error);
            var slow = bands[1];
            Assert.Equal(("fault slow-auth", 3.0, 6.0), (slow.Name, slow.StartS, slow.EndS));
            Assert.Equal(504, slow.X1);
            Assert.Equal(944, slow.X2);
        }

        // Labelled on the chart and listed with their times above the charts.
        Assert.Equal(5, Regex.Count(html, "class=\"band-label\">node issuer-2 down</text>"));
        Assert.Contains("<tr data-fault=\"node issuer-2 down\"><td>node issuer-2 down</td><td>2 s</td><td>4 s</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TimeWindows_PairEachEventWithItsEnd_RepeatsAreTwoWindows_AndAFailedStartKeepsItsError()
    {
        var timeline = new JsonArray(
            Entry("wallet wallet-2 freeze", 1),
            Entry("wallet wallet-2 freeze ended", 2),
            Entry("fault broken", 2.5, error: "409 Conflict"),
            Entry("wallet wallet-2 freeze", 5),
            Entry("node issuer-1 down", 6),
            Entry("node issuer-1 down ended", 7, error: "connection refused"),
            Entry("wallet wallet-2 freeze ended", 7.5),
            Entry("node issuer-3 down", 9),
            Entry("node issuer-3 down ended", 12.3));

        var windows = TimeWindows.FromTimeline(timeline, runEndS: 10);

        Assert.Equal(
            [
                new SvgChart.Band("wallet wallet-2 freeze", 1, 2),
                new SvgChart.Band("fault broken", 2.5, 10, "409 Conflict"),
                new SvgChart.Band("wallet wallet-2 freeze", 5, 7.5),
                // Its end failed: it lasted as far as the run knows.
                new SvgChart.Band("node issuer-1 down", 6, 10),
                // Reverted after the run (the timeline's clean-up): the window ends with the run.
                new SvgChart.Band("node issuer-3 down", 9, 10),
            ],
            windows);
        Assert.Empty(TimeWindows.FromTimeline(null, 10));
        Assert.Empty(TimeWindows.FromTimeline(JsonValue.Create(3), 10));
    }

    [Fact]
    public void AFaultThatFailedToStart_IsShadedGrey_WithItsError()
    {
        var summary = Summary(durationS: 4);
        summary.Extra["faultTimeline"] = new JsonArray(Entry("fault broken", 1, error: "409 Conflict"));

        var html = HtmlReport.Render(summary, [Point(1, 5, 5), Point(2, 5, 5), Point(3, 5, 5), Point(4, 5, 5)]);

        var band = Assert.Single(Bands(Figure(html, "latency")));
        Assert.Equal(("fault broken", 1.0, 4.0, "409 Conflict"), (band.Name, band.StartS, band.EndS, band.Error));
        Assert.Contains("<g class=\"band failed\" data-fault=\"fault broken\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Capacity_PlotsEachStepsP99AgainstItsRate_OnALogAxis_WithTheKneeAndTheObjectiveMarked()
    {
        var summary = Summary(durationS: 40);
        summary.Extra["capacity"] = Capacity(kneeRps: 100, reached: true, (20, 12, true), (50, 15, true), (100, 30, true), (200, 400, false), (400, null, false));

        var html = HtmlReport.Render(summary, [Point(1, 5, 5)]);

        var figure = Figure(html, "capacity");
        Assert.Contains("data-x-scale=\"log\"", figure, StringComparison.Ordinal);
        var p99 = Series(figure)["p99 per step"];
        Assert.Equal([20.0, 50, 100, 200], p99.Xs);
        Assert.Equal([12.0, 15, 30, 400], p99.Ys);
        var dots = Regex.Matches(figure, "<circle class=\"dot (pass|fail)\" data-x=\"([^\"]*)\"").Select(m => (m.Groups[1].Value, D(m.Groups[2].Value))).ToArray();
        Assert.Equal([("pass", 20.0), ("pass", 50), ("pass", 100), ("fail", 200)], dots);

        // The axis runs from 20/1.25 = 16 to 400×1.25 = 500 (the last step had no data but was asked for).
        var knee = Regex.Match(figure, "<g class=\"marker\" data-marker=\"knee\" data-x=\"([^\"]*)\" data-px=\"([^\"]*)\">.*?<text [^>]*>([^<]*)</text>");
        Assert.True(knee.Success, figure);
        Assert.Equal(100, D(knee.Groups[1].Value));
        Assert.Equal(64 + (Math.Log(100 / 16.0) / Math.Log(500 / 16.0) * 880), D(knee.Groups[2].Value), 1);
        Assert.Equal("knee 100/s", WebUtility.HtmlDecode(knee.Groups[3].Value));
        // p99 < 250ms is drawn as a level; ok_rate >= 99% is not a latency.
        Assert.Equal(["p99 < 250ms"], Regex.Matches(figure, "data-level=\"([^\"]*)\" data-y=\"250\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)));
        Assert.Equal(5, Regex.Count(html, "<tr class=\"(pass|fail)\"><td>[0-9]+</td>"));
    }

    [Fact]
    public void Capacity_WithoutAFailingStep_MarksTheLastRateAsALowerBound_AndWithTheFirstFailing_HasNoMarker()
    {
        var summary = Summary(durationS: 20);
        summary.Extra["capacity"] = Capacity(kneeRps: 50, reached: false, (20, 12, true), (50, 15, true));
        var figure = Figure(HtmlReport.Render(summary, []), "capacity");
        Assert.Contains("data-x-scale=\"linear\"", figure, StringComparison.Ordinal);
        Assert.Contains("data-marker=\"knee\" data-x=\"50\"", figure, StringComparison.Ordinal);
        Assert.Contains("knee ≥ 50/s (no step failed)", WebUtility.HtmlDecode(figure), StringComparison.Ordinal);

        summary.Extra["capacity"] = Capacity(kneeRps: 0, reached: true, (20, 900, false), (50, 1500, false));
        figure = Figure(HtmlReport.Render(summary, []), "capacity");
        Assert.DoesNotContain("data-marker", figure, StringComparison.Ordinal);
        Assert.Contains("The first step (20/s) already missed the objectives", figure, StringComparison.Ordinal);
    }

    [Fact]
    public void CapacityChart_AStepNotJudged_HasNoDot_AndItsRowSaysWhy()
    {
        var summary = Summary(durationS: 24);
        var capacity = Capacity(kneeRps: 100, reached: true, (20, 12, true), (50, null, true), (100, 15, true), (200, 900, false));
        capacity["steps"]![1]!["pass"] = null;
        summary.Extra["capacity"] = capacity;
        var html = HtmlReport.Render(summary, []);
        var figure = Figure(html, "capacity");

        Assert.Equal(
            ["pass 20", "pass 100", "fail 200"],
            Regex.Matches(figure, "<circle class=\"dot (pass|fail)\" data-x=\"([^\"]*)\"").Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}"));
        var rows = Regex.Matches(html, "<tr class=\"(pass|fail|unjudged)\"><td>([^<]*)</td>.*?<td>([^<]*)</td></tr>").Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value} {WebUtility.HtmlDecode(m.Groups[3].Value)}").ToArray();
        Assert.Equal(["pass 20 ✔ met", "unjudged 50 not judged (generator late)", "pass 100 ✔ met", "fail 200 ✘ missed"], rows);
        Assert.Contains("data-marker=\"knee\" data-x=\"100\"", figure, StringComparison.Ordinal);
    }

    [Fact]
    public void TheJsonDump_IsCollapsed_AndAbsentWithoutExtraFields()
    {
        var summary = Summary(durationS: 2);
        Assert.DoesNotContain("<details", HtmlReport.Render(summary, []), StringComparison.Ordinal);

        summary.Extra["fairness"] = new JsonObject { ["jain"] = 0.98 };
        summary.Extra["seed"] = 7;
        var html = HtmlReport.Render(summary, []);

        var details = Regex.Match(html, "<details><summary>([^<]*)</summary><pre>(.*?)</pre></details>", RegexOptions.Singleline);
        Assert.True(details.Success);
        Assert.Equal("summary.json fields beyond the engine's (2): fairness, seed", details.Groups[1].Value);
        Assert.Contains("&quot;jain&quot;: 0.98", details.Groups[2].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("<details open", html, StringComparison.Ordinal);
    }

    [Fact]
    public void NoFaultTimelineAndNoCapacity_DrawNoBandsAndNoCapacityChart()
    {
        var html = HtmlReport.Render(Summary(durationS: 2), [Point(1, 5, 5), Point(2, 5, 5)]);

        Assert.DoesNotContain("data-fault", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-chart=\"capacity\"", html, StringComparison.Ordinal);
        Assert.Equal(TimeCharts, ChartIds(html));
    }

    private static RunSummary Summary(double durationS) => new() { Plan = "unit", StartedUtc = DateTimeOffset.UnixEpoch, DurationS = durationS };

    /// <summary>One second of scenario "pay" with one step "authorize" carrying the same figures (none when nothing completed).</summary>
    private static TimeSeriesPoint Point(int second, long requests, double p99, double? target = null, long concurrency = 0) => new()
    {
        Second = second,
        ElapsedS = second,
        Scenario = "pay",
        Requests = requests,
        Ok = requests,
        Rps = requests,
        P50Ms = p99 / 2,
        P99Ms = p99,
        TargetRps = target,
        Concurrency = concurrency,
        Steps = requests == 0 ? [] : [new StepPoint { Name = "authorize", Requests = requests, Ok = requests, P50Ms = p99 / 4, P99Ms = p99 / 2 }],
    };

    private static JsonObject Entry(string what, double atS, string? error = null) => new() { ["what"] = what, ["atS"] = atS, ["error"] = error };

    private static JsonObject Capacity(double kneeRps, bool reached, params (double Rate, double? P99, bool Pass)[] steps) => new()
    {
        ["scenario"] = "payment",
        ["objectives"] = new JsonArray("p99 < 250ms", "ok_rate >= 99%"),
        ["kneeRps"] = kneeRps,
        ["kneeReached"] = reached,
        ["steps"] = new JsonArray(steps.Select(s => (JsonNode?)new JsonObject
        {
            ["rate"] = s.Rate, ["startS"] = 0, ["endS"] = 8, ["p99Ms"] = s.P99, ["okRate"] = s.Pass ? 1.0 : 0.9, ["rps"] = s.Rate, ["pass"] = s.Pass,
        }).ToArray()),
    };

    internal static string[] ChartIds(string html) => Regex.Matches(html, "<figure class=\"chart\" data-chart=\"([^\"]*)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToArray();

    internal static string Figure(string html, string id)
    {
        var m = Regex.Match(html, "<figure class=\"chart\" data-chart=\"" + Regex.Escape(WebUtility.HtmlEncode(id)) + "\".*?</figure>", RegexOptions.Singleline);
        Assert.True(m.Success, $"no chart {id}");
        return m.Value;
    }

    internal static Dictionary<string, Line> Series(string figure) =>
        Regex.Matches(figure, "<g class=\"series\" data-series=\"([^\"]*)\" data-points=\"([0-9]+)\" data-x=\"([^\"]*)\" data-y=\"([^\"]*)\">(.*?)</g>", RegexOptions.Singleline)
            .ToDictionary(
                m => WebUtility.HtmlDecode(m.Groups[1].Value),
                m =>
                {
                    var drawn = m.Groups[5].Value;
                    var polylines = Regex.Matches(drawn, "<polyline [^>]* points=\"([^\"]*)\"");
                    return new Line(
                        int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                        Numbers(m.Groups[3].Value),
                        Numbers(m.Groups[4].Value),
                        polylines.Count,
                        Regex.Count(drawn, "<circle "),
                        polylines.SelectMany(p => p.Groups[1].Value.Split(' ')).Select(xy => (D(xy.Split(',')[0]), D(xy.Split(',')[1]))).ToList());
                });

    internal static List<BandInfo> Bands(string figure) =>
        Regex.Matches(figure, "<g class=\"band[^\"]*\" data-fault=\"([^\"]*)\" data-start-s=\"([^\"]*)\" data-end-s=\"([^\"]*)\" data-x1=\"([^\"]*)\" data-x2=\"([^\"]*)\"(?: data-error=\"([^\"]*)\")?>.*?<rect x=\"([^\"]*)\" y=\"[^\"]*\" width=\"([^\"]*)\"", RegexOptions.Singleline)
            .Select(m => new BandInfo(
                WebUtility.HtmlDecode(m.Groups[1].Value), D(m.Groups[2].Value), D(m.Groups[3].Value), D(m.Groups[4].Value), D(m.Groups[5].Value),
                m.Groups[6].Success ? WebUtility.HtmlDecode(m.Groups[6].Value) : null, D(m.Groups[7].Value), D(m.Groups[8].Value)))
            .ToList();

    private static double[] Numbers(string list) => list.Length == 0 ? [] : list.Split(' ').Select(D).ToArray();

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private sealed class Near(double within) : IEqualityComparer<(double X, double Y)>
    {
        public bool Equals((double X, double Y) a, (double X, double Y) b) => Math.Abs(a.X - b.X) <= within && Math.Abs(a.Y - b.Y) <= within;

        public int GetHashCode((double X, double Y) obj) => 0;
    }

    internal sealed record Line(int Count, double[] Xs, double[] Ys, int Polylines, int Circles, List<(double X, double Y)> Vertices);

    internal sealed record BandInfo(string Name, double StartS, double EndS, double X1, double X2, string? Error, double RectX, double RectWidth);
}

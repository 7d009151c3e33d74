using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaySim.LoadEngine.Reporting;

/// <summary>
/// report.html: one file, inline CSS and SVG, no script, no CDN, so it opens offline and in CI artefact viewers.
/// Besides the engine's figures it draws two extra fields when a caller adds them: <c>faultTimeline</c> (see
/// <see cref="TimeWindows"/>), shaded on every time chart, and <c>capacity</c>, a p99-against-rate chart with the knee.
/// </summary>
internal static class HtmlReport
{
    public static string Render(RunSummary s, IReadOnlyList<TimeSeriesPoint> series)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        html.Append($"<title>{E(s.Plan)}: {s.Verdict}</title><style>{Css}</style></head><body>");
        html.Append($"<header><h1>{E(s.Plan)} <span class=\"badge {s.Verdict}\">{s.Verdict.ToUpperInvariant()}</span></h1>");
        html.Append($"<p>Started {s.StartedUtc:yyyy-MM-dd HH:mm:ss}Z · ran {Format.Num(s.DurationS)} s · {s.Scenarios.Count} scenario(s) · {s.Claims.Count(c => c.Pass)}/{s.Claims.Count} claims hold</p>");
        if (s.Command is not null)
        {
            html.Append($"<p>Run it again: <code>{E(s.Command)}</code></p>");
        }

        if (s.AbortReason is not null)
        {
            html.Append($"<p class=\"abort\">Stopped early: {E(s.AbortReason)}</p>");
        }

        html.Append("</header><section><h2>Claims</h2>");
        if (s.Claims.Count == 0)
        {
            html.Append("<p>No claims or thresholds.</p>");
        }
        else
        {
            html.Append("<table class=\"claims\"><tr><th>result</th><th>claim</th><th>expression</th><th>observed</th></tr>");
            foreach (var c in s.Claims)
            {
                html.Append($"<tr class=\"{(c.Pass ? "pass" : "fail")}\"><td>{(c.Pass ? "✔ pass" : "✘ fail")}</td><td>{E(c.Name)}</td><td><code>{E(c.Expression)}</code></td><td>{E(c.ObservedText)}{(c.Message is null ? string.Empty : " <small>(" + E(c.Message) + ")</small>")}</td></tr>");
            }

            html.Append("</table>");
        }

        html.Append("</section><section><h2>Scenarios and steps</h2>");
        var percentiles = s.Scenarios.FirstOrDefault()?.LatencyMs.Percentiles.Keys.ToArray() ?? [];
        html.Append("<table><tr><th>scenario / step</th><th>ok</th><th>fail</th><th>ok %</th><th>rps</th><th>dropped</th>");
        foreach (var p in percentiles)
        {
            html.Append($"<th>{E(p)} ms</th>");
        }

        html.Append("<th>max ms</th><th>mean ms</th><th>bytes</th><th>status codes</th></tr>");
        foreach (var sc in s.Scenarios)
        {
            Row(html, sc.Name, sc, Format.Int(sc.Dropped), percentiles, "scenario");
            foreach (var st in sc.Steps)
            {
                Row(html, "↳ " + st.Name, st, string.Empty, percentiles, "step");
            }
        }

        html.Append("</table></section>");
        var runEnd = Math.Max(s.DurationS, series.Count == 0 ? 0 : series.Max(p => p.Second));
        var windows = TimeWindows.FromTimeline(s.Extra[TimeWindows.Field], runEnd);
        OverTime(html, series, windows, runEnd);
        if (s.Extra["capacity"] is JsonObject capacity)
        {
            Capacity(html, capacity);
        }

        if (s.Extra.Count > 0)
        {
            html.Append($"<section><h2>Other results</h2><details><summary>summary.json fields beyond the engine's ({s.Extra.Count}): {E(string.Join(", ", s.Extra.Select(kv => kv.Key)))}</summary><pre>");
            html.Append(E(s.Extra.ToJsonString(RunSummary.JsonOptions)));
            html.Append("</pre></details></section>");
        }

        html.Append("<footer>Latencies: HdrHistogram, 1 µs–1 h, 3 significant digits; open-model latency counts from each iteration's intended start. Full histograms are in summary.json (base64).</footer></body></html>");
        return html.ToString();
    }

    /// <summary>
    /// The time charts, each with the fault windows shaded. A second with nothing completed is no measurement:
    /// latency lines break there, and the count lines start at a scenario's first second with data, so neither
    /// plots a 0 that was never measured (warm-up, the first second, a scenario's start delay).
    /// </summary>
    private static void OverTime(StringBuilder html, IReadOnlyList<TimeSeriesPoint> series, IReadOnlyList<SvgChart.Band> windows, double runEnd)
    {
        html.Append("<section><h2>Over time</h2>");
        if (windows.Count > 0)
        {
            html.Append("<p>Shaded on every chart below:</p><table class=\"windows\"><tr><th>fault or event</th><th>from</th><th>to</th><th>note</th></tr>");
            foreach (var w in windows)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr data-fault=\"{E(w.Name)}\"><td>{E(w.Name)}</td><td>{Format.Num(w.Start)} s</td><td>{Format.Num(w.End)} s</td><td>{(w.Error is null ? string.Empty : "failed: " + E(w.Error))}</td></tr>");
            }

            html.Append("</table>");
        }

        var names = series.Select(p => p.Scenario).Distinct().ToArray();
        var byName = names.ToDictionary(n => n, n => series.Where(p => p.Scenario == n).OrderBy(p => p.Second).ToArray(), StringComparer.Ordinal);
        string Color(int i) => SvgChart.Palette[i % SvgChart.Palette.Length];
        (double X, double Y)[] Counted(string name, Func<TimeSeriesPoint, double> y)
        {
            var points = byName[name];
            var first = Array.FindIndex(points, p => p.Requests + p.Dropped > 0);
            return first < 0 ? [] : points[first..].Select(p => ((double)p.Second, y(p))).ToArray();
        }

        (double X, double Y)[] Measured(string name, Func<TimeSeriesPoint, double> y) =>
            byName[name].Select(p => ((double)p.Second, p.Requests > 0 ? y(p) : double.NaN)).ToArray();
        SvgChart.Chart Time(string id, string title, string yLabel, IEnumerable<SvgChart.Series> lines) =>
            new(id, title, yLabel) { Series = lines.ToArray(), Bands = windows, XMax = runEnd };

        var targeted = names.Where(n => byName[n].Any(p => p.TargetRps is not null)).ToHashSet(StringComparer.Ordinal);
        html.Append(SvgChart.Render(Time(
            "rate",
            targeted.Count > 0 ? "Rate per second: achieved (solid) against target (dashed)" : "Completed iterations per second (closed model: no target rate)",
            "per second",
            names.SelectMany((n, i) => targeted.Contains(n)
                ? new[]
                {
                    new SvgChart.Series(n + " achieved", Color(i), Counted(n, p => p.Rps)),
                    new SvgChart.Series(n + " target", Color(i), byName[n].Where(p => p.TargetRps is not null).Select(p => ((double)p.Second, p.TargetRps!.Value)).ToArray(), Dashed: true),
                }
                : [new SvgChart.Series(n + " achieved", Color(i), Counted(n, p => p.Rps))]))));
        html.Append(SvgChart.Render(Time(
            "latency",
            "Latency per second by scenario: p99 (solid) and p50 (dashed)",
            "ms",
            names.SelectMany((n, i) => new[]
            {
                new SvgChart.Series(n + " p99", Color(i), Measured(n, p => p.P99Ms)),
                new SvgChart.Series(n + " p50", Color(i), Measured(n, p => p.P50Ms), Dashed: true),
            }))));
        foreach (var n in names)
        {
            var steps = byName[n].SelectMany(p => p.Steps).Select(st => st.Name).Distinct().Order(StringComparer.Ordinal).ToArray();
            if (steps.Length == 0)
            {
                continue;
            }

            (double X, double Y)[] Step(string step, Func<StepPoint, double> y) =>
                byName[n].Select(p => p.Steps.FirstOrDefault(st => st.Name == step) is { Requests: > 0 } st ? ((double)p.Second, y(st)) : ((double)p.Second, double.NaN)).ToArray();
            html.Append(SvgChart.Render(Time(
                "latency-steps:" + n,
                $"Latency per second by step of {n}: p99 (solid) and p50 (dashed)",
                "ms",
                steps.SelectMany((st, i) => new[]
                {
                    new SvgChart.Series(st + " p99", Color(i), Step(st, x => x.P99Ms)),
                    new SvgChart.Series(st + " p50", Color(i), Step(st, x => x.P50Ms), Dashed: true),
                }))));
        }

        html.Append(SvgChart.Render(Time(
            "errors",
            "Errors per second: failed (solid) and dropped (dashed)",
            "per second",
            names.SelectMany((n, i) => new[]
            {
                new SvgChart.Series(n + " fail", Color(i), Counted(n, p => p.Fail)),
                new SvgChart.Series(n + " dropped", Color(i), Counted(n, p => p.Dropped), Dashed: true),
            }))));
        html.Append(SvgChart.Render(Time(
            "concurrency",
            "Concurrency (in flight / active copies at the end of each second)",
            "concurrency",
            names.Select((n, i) => new SvgChart.Series(n, Color(i), byName[n].Select(p => ((double)p.Second, (double)p.Concurrency)).ToArray())))));
        html.Append("</section>");
    }

    /// <summary>
    /// The <c>capacity</c> extra field ({scenario, objectives[], kneeRps, kneeReached, steps[{rate, p99Ms, okRate, rps, pass}]}):
    /// each step's p99 against its rate, green where it met the objectives, red where not, and the knee marked; a step
    /// whose pass is null was not judged (the generator was late in every second of it) and has no dot.
    /// </summary>
    private static void Capacity(StringBuilder html, JsonObject capacity)
    {
        var steps = (capacity["steps"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(st => (Rate: Num(st["rate"]), P99: Num(st["p99Ms"]), Ok: Num(st["okRate"]), Rps: Num(st["rps"]), Pass: st["pass"] is JsonValue v && v.GetValueKind() == JsonValueKind.True, Judged: st["pass"] is JsonValue j && j.GetValueKind() is JsonValueKind.True or JsonValueKind.False))
            .Where(st => st.Rate is > 0)
            .OrderBy(st => st.Rate)
            .ToArray();
        if (steps.Length == 0)
        {
            return;
        }

        var knee = Num(capacity["kneeRps"]);
        var reached = capacity["kneeReached"] is JsonValue r && r.GetValueKind() == JsonValueKind.True;
        var objectives = (capacity["objectives"] as JsonArray ?? []).Select(o => o is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null).OfType<string>().ToArray();
        var rates = steps.Select(st => st.Rate!.Value).ToArray();
        SvgChart.Marker[] markers = knee switch
        {
            > 0 when reached => [new SvgChart.Marker("knee", $"knee {Format.Num(knee.Value)}/s", knee.Value)],
            > 0 => [new SvgChart.Marker("knee", $"knee ≥ {Format.Num(knee.Value)}/s (no step failed)", knee.Value)],
            _ => [],
        };
        var chart = new SvgChart.Chart("capacity", "Capacity: p99 against rate, one point per step (green: met the objectives, red: not)", "p99 ms")
        {
            Series = [new SvgChart.Series("p99 per step", SvgChart.Palette[0], steps.Select(st => (st.Rate!.Value, st.P99 ?? double.NaN)).ToArray())],
            Dots = steps.Where(st => st.P99 is not null && st.Judged).Select(st => new SvgChart.Dot(
                $"{Format.Num(st.Rate!.Value)}/s: p99 {Format.Ms(st.P99!.Value)} ms, ok {(st.Ok is { } ok ? (ok * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%" : "n/a")}, {(st.Pass ? "met" : "missed")} the objectives",
                st.Rate.Value,
                st.P99.Value,
                st.Pass)).ToArray(),
            Markers = markers,
            Levels = objectives.Select(o => Expression.TryParse(o, out var e, out _) && e.Metric is "p99" or "p50" && e.Unit == ExpressionUnit.Duration ? new SvgChart.Level(o, e.Value) : null).OfType<SvgChart.Level>().ToArray(),
            LogX = rates[0] > 0 && rates[^1] / rates[0] >= 4,
            XTicks = rates,
            XUnit = "/s",
            Note = knee switch
            {
                0 when reached => $"The first step ({Format.Num(rates[0])}/s) already missed the objectives: the knee is below it.",
                null => "No knee: no step could be judged (no data, or the generator was late in every second).",
                _ => null,
            },
        };
        html.Append($"<section><h2>Capacity{(capacity["scenario"] is JsonValue sc && sc.GetValueKind() == JsonValueKind.String ? ": " + E(sc.GetValue<string>()) : string.Empty)}</h2>");
        if (objectives.Length > 0)
        {
            html.Append($"<p>Objectives: {string.Join(", ", objectives.Select(o => "<code>" + E(o) + "</code>"))}</p>");
        }

        html.Append(SvgChart.Render(chart));
        html.Append("<table class=\"capacity\"><tr><th>rate /s</th><th>achieved /s</th><th>p99 ms</th><th>ok %</th><th>objectives</th></tr>");
        foreach (var st in steps)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"{(!st.Judged ? "unjudged" : st.Pass ? "pass" : "fail")}\"><td>{Format.Num(st.Rate!.Value)}</td><td>{(st.Rps is { } rps ? Format.Num(rps) : string.Empty)}</td><td>{(st.P99 is { } p ? Format.Ms(p) : "n/a")}</td><td>{(st.Ok is { } ok ? (ok * 100).ToString("0.##", CultureInfo.InvariantCulture) : "n/a")}</td><td>{(!st.Judged ? "not judged (generator late)" : st.Pass ? "✔ met" : "✘ missed")}</td></tr>");
        }

        html.Append("</table></section>");
    }

    private static double? Num(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) : null;

    private static void Row(StringBuilder html, string name, StepSummary s, string dropped, string[] percentiles, string cls)
    {
        html.Append($"<tr class=\"{cls}\"><td>{E(name)}</td><td>{Format.Int(s.Ok)}</td><td>{Format.Int(s.Fail)}</td><td>{Format.Pct(s.Ok, s.Ok + s.Fail)}</td><td>{Format.Num(s.Rps)}</td><td>{dropped}</td>");
        foreach (var p in percentiles)
        {
            html.Append($"<td>{(s.LatencyMs.Percentiles.TryGetValue(p, out var v) ? Format.Ms(v) : string.Empty)}</td>");
        }

        html.Append($"<td>{Format.Ms(s.LatencyMs.Max)}</td><td>{Format.Ms(s.LatencyMs.Mean)}</td><td>{Format.Bytes(s.Bytes)}</td><td class=\"codes\">{E(Format.Codes(s.StatusCodes))}</td></tr>");
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private const string Css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1100px;color:#18181b;padding:0 16px}
        h1{font-size:26px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #e4e4e7;padding-bottom:4px}
        .badge{font-size:14px;padding:3px 10px;border-radius:12px;vertical-align:middle;color:#fff}
        .badge.pass{background:#16a34a}.badge.fail{background:#dc2626}
        .abort{background:#fef3c7;border:1px solid #f59e0b;padding:8px;border-radius:6px}
        table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #e4e4e7;padding:4px 8px;text-align:right}
        th{background:#f4f4f5}td:first-child,th:first-child{text-align:left}td.codes{text-align:left;font-size:12px}
        tr.pass td:first-child{color:#15803d;font-weight:600}tr.fail td:first-child{color:#b91c1c;font-weight:600}tr.fail{background:#fef2f2}
        table.claims td,table.claims th{text-align:left}tr.scenario td{font-weight:600}tr.step td{color:#3f3f46}code{font-size:12px}
        figure{margin:16px 0}figcaption{font-weight:600;font-size:14px;margin-bottom:4px}
        .tick{font-size:11px;fill:#52525b}
        .note{font-size:12px;color:#52525b;margin:0 0 4px}.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:#27272a;margin-top:2px}
        .legend span{display:inline-flex;align-items:center;gap:4px}.band-label{font-size:11px;fill:#9a3412}.marker-label{font-size:12px;font-weight:600;fill:#18181b}
        .level-label{font-size:11px;fill:#b91c1c}.empty{font-size:14px;fill:#a1a1aa}table.windows{width:auto}table.windows td{text-align:left}
        details summary{cursor:pointer;font-size:13px;color:#3f3f46}
        pre{background:#f4f4f5;padding:8px;border-radius:6px;overflow:auto;font-size:12px}
        footer{margin-top:32px;font-size:12px;color:#71717a}
        """;
}

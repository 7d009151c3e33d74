using System.Net;
using System.Text;

namespace PaySim.LoadEngine.Reporting;

/// <summary>report.html: one file, inline CSS and SVG, no script, no CDN, so it opens offline and in CI artefact viewers.</summary>
internal static class HtmlReport
{
    public static string Render(RunSummary s, IReadOnlyList<TimeSeriesPoint> series)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        html.Append($"<title>{E(s.Plan)}: {s.Verdict}</title><style>{Css}</style></head><body>");
        html.Append($"<header><h1>{E(s.Plan)} <span class=\"badge {s.Verdict}\">{s.Verdict.ToUpperInvariant()}</span></h1>");
        html.Append($"<p>Started {s.StartedUtc:yyyy-MM-dd HH:mm:ss}Z · ran {Format.Num(s.DurationS)} s · {s.Scenarios.Count} scenario(s) · {s.Claims.Count(c => c.Pass)}/{s.Claims.Count} claims hold</p>");
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

        html.Append("</table></section><section><h2>Over time</h2>");
        var names = series.Select(p => p.Scenario).Distinct().ToArray();
        string Color(int i) => SvgChart.Palette[i % SvgChart.Palette.Length];
        List<(double, double)> Points(string name, Func<TimeSeriesPoint, double> y) =>
            series.Where(p => p.Scenario == name).Select(p => ((double)p.Second, y(p))).ToList();

        html.Append(SvgChart.Render(
            "Completed iterations per second",
            "rps",
            names.Select((n, i) => new SvgChart.Series(n, Color(i), Points(n, p => p.Rps))).ToList()));
        html.Append(SvgChart.Render(
            "Latency per second: p99 (solid) and p50 (dashed)",
            "ms",
            names.SelectMany((n, i) => new[]
            {
                new SvgChart.Series(n + " p99", Color(i), Points(n, p => p.P99Ms)),
                new SvgChart.Series(n + " p50", Color(i), Points(n, p => p.P50Ms), Dashed: true),
            }).ToList()));
        html.Append(SvgChart.Render(
            "Errors per second: failed (solid) and dropped (dashed)",
            "per second",
            names.SelectMany((n, i) => new[]
            {
                new SvgChart.Series(n + " fail", Color(i), Points(n, p => p.Fail)),
                new SvgChart.Series(n + " dropped", Color(i), Points(n, p => p.Dropped), Dashed: true),
            }).ToList()));
        html.Append(SvgChart.Render(
            "Concurrency (in flight / active copies)",
            "concurrency",
            names.Select((n, i) => new SvgChart.Series(n, Color(i), Points(n, p => p.Concurrency))).ToList()));
        html.Append("</section>");

        if (s.Extra.Count > 0)
        {
            html.Append("<section><h2>Other results</h2><pre>");
            html.Append(E(s.Extra.ToJsonString(RunSummary.JsonOptions)));
            html.Append("</pre></section>");
        }

        html.Append("<footer>Latencies: HdrHistogram, 1 µs–1 h, 3 significant digits; open-model latency counts from each iteration's intended start. Full histograms are in summary.json (base64).</footer></body></html>");
        return html.ToString();
    }

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
        .tick{font-size:11px;fill:#52525b}.legend{font-size:12px;fill:#27272a}
        pre{background:#f4f4f5;padding:8px;border-radius:6px;overflow:auto;font-size:12px}
        footer{margin-top:32px;font-size:12px;color:#71717a}
        """;
}

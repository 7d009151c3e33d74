using System.Globalization;
using System.Net;
using System.Text;

namespace PaySim.LoadEngine.Reporting;

/// <summary>
/// A minimal line chart rendered as inline SVG, so report.html needs no script and no network. Besides the
/// drawing, every element carries its data in attributes (<c>data-series</c> with <c>data-x</c>/<c>data-y</c>,
/// <c>data-fault</c> with <c>data-start-s</c>/<c>data-end-s</c> and the pixel <c>data-x1</c>/<c>data-x2</c>,
/// <c>data-marker</c>), so a reader, a test or a browser's DOM can check what was plotted.
/// </summary>
internal static class SvgChart
{
    internal const int Width = 960;
    internal const int Height = 260;
    internal const int Left = 64;
    internal const int Right = 16;
    internal const int Top = 16;
    internal const int Bottom = 28;
    internal const int PlotWidth = Width - Left - Right;
    internal const int PlotBottom = Height - Bottom;

    public static readonly string[] Palette = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563"];

    /// <summary>A line. A point whose Y is NaN is a gap: no data in that second, so the line breaks there rather than dropping to 0.</summary>
    public sealed record Series(string Name, string Color, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);

    /// <summary>A shaded window from <see cref="Start"/> to <see cref="End"/> (x units), labelled with its name; <see cref="Error"/> when it could not be applied.</summary>
    public sealed record Band(string Name, double Start, double End, string? Error = null);

    /// <summary>A vertical line at <see cref="X"/>, e.g. the knee of a capacity run.</summary>
    public sealed record Marker(string Kind, string Label, double X);

    /// <summary>A horizontal line at <see cref="Y"/>, e.g. an objective.</summary>
    public sealed record Level(string Label, double Y);

    /// <summary>A single measured point drawn as a dot, green when it passed and red when not.</summary>
    public sealed record Dot(string Label, double X, double Y, bool Pass);

    public sealed record Chart(string Id, string Title, string YLabel)
    {
        public IReadOnlyList<Series> Series { get; init; } = [];

        public IReadOnlyList<Band> Bands { get; init; } = [];

        public IReadOnlyList<Marker> Markers { get; init; } = [];

        public IReadOnlyList<Level> Levels { get; init; } = [];

        public IReadOnlyList<Dot> Dots { get; init; } = [];

        /// <summary>The right end of a linear x axis that starts at 0 (the run's length); null: the largest x plotted.</summary>
        public double? XMax { get; init; }

        /// <summary>A logarithmic x axis over the values plotted, ticked at <see cref="XTicks"/> (rates that double and more).</summary>
        public bool LogX { get; init; }

        public IReadOnlyList<double>? XTicks { get; init; }

        /// <summary>Appended to each x tick: "s" for time, "/s" for rates.</summary>
        public string XUnit { get; init; } = "s";

        /// <summary>A line under the caption, e.g. why a chart has no knee.</summary>
        public string? Note { get; init; }
    }

    /// <summary>The chart's x scale: the pixel position of an x value.</summary>
    internal sealed class Scale
    {
        private readonly double _lo;
        private readonly double _hi;
        private readonly bool _log;

        public Scale(Chart chart)
        {
            _log = chart.LogX;
            var xs = chart.Series.SelectMany(s => s.Points).Where(p => !double.IsNaN(p.Y)).Select(p => p.X)
                .Concat(chart.Dots.Select(d => d.X)).Concat(chart.Markers.Select(m => m.X)).Concat(chart.XTicks ?? [])
                .Where(double.IsFinite).ToArray();
            if (_log)
            {
                var positive = xs.Where(x => x > 0).ToArray();
                var min = positive.Length == 0 ? 1 : positive.Min();
                var max = positive.Length == 0 ? 10 : positive.Max();
                _lo = min / 1.25;
                _hi = Math.Max(max * 1.25, _lo * 2);
            }
            else
            {
                _lo = 0;
                _hi = Math.Max(1, chart.XMax ?? (xs.Length == 0 ? 1 : xs.Max()));
            }
        }

        public double Min => _lo;

        public double Max => _hi;

        public double X(double x)
        {
            var f = _log ? (Math.Log(Math.Max(x, _lo)) - Math.Log(_lo)) / (Math.Log(_hi) - Math.Log(_lo)) : (x - _lo) / (_hi - _lo);
            return Left + (Math.Clamp(f, 0, 1) * PlotWidth);
        }
    }

    public static string Render(Chart chart)
    {
        var scale = new Scale(chart);
        var ys = chart.Series.SelectMany(s => s.Points).Select(p => p.Y).Concat(chart.Dots.Select(d => d.Y)).Concat(chart.Levels.Select(l => l.Y))
            .Where(double.IsFinite).ToArray();
        var maxY = NiceCeiling(ys.Length == 0 ? 1 : ys.Max());
        double Sy(double y) => PlotBottom - (Math.Clamp(y, 0, maxY) / maxY * (PlotBottom - Top));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart\" data-chart=\"{Enc(chart.Id)}\" data-x-min=\"{N(scale.Min)}\" data-x-max=\"{N(scale.Max)}\" data-x-scale=\"{(chart.LogX ? "log" : "linear")}\" data-y-max=\"{N(maxY)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<figcaption>{Enc(chart.Title)}</figcaption>");
        if (chart.Note is not null)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{Enc(chart.Note)}</p>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"100%\" role=\"img\" aria-label=\"{Enc(chart.Title)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{PlotWidth}\" height=\"{PlotBottom - Top}\" fill=\"#fafafa\" stroke=\"#d4d4d8\"/>");

        // Windows first, so the lines are drawn over them.
        for (var i = 0; i < chart.Bands.Count; i++)
        {
            var b = chart.Bands[i];
            var x1 = scale.X(b.Start);
            var x2 = Math.Max(scale.X(b.End), x1 + 1);
            var error = b.Error is null ? string.Empty : $" data-error=\"{Enc(b.Error)}\"";
            var title = $"{b.Name}: {Secs(b.Start)}–{Secs(b.End)}{(b.Error is null ? string.Empty : " (failed: " + b.Error + ")")}";
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"band{(b.Error is null ? string.Empty : " failed")}\" data-fault=\"{Enc(b.Name)}\" data-start-s=\"{N(b.Start)}\" data-end-s=\"{N(b.End)}\" data-x1=\"{P(x1)}\" data-x2=\"{P(x2)}\"{error}>");
            svg.Append(CultureInfo.InvariantCulture, $"<title>{Enc(title)}</title>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{P(x1)}\" y=\"{Top}\" width=\"{P(x2 - x1)}\" height=\"{PlotBottom - Top}\" fill=\"{(b.Error is null ? "#f97316" : "#a1a1aa")}\" fill-opacity=\"0.16\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{P(x1)}\" x2=\"{P(x1)}\" y1=\"{Top}\" y2=\"{PlotBottom}\" stroke=\"#ea580c\" stroke-width=\"1\" stroke-dasharray=\"3 3\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{P(x1 + 4)}\" y=\"{Top + 12 + (i % 4 * 13)}\" class=\"band-label\">{Enc(b.Name)}</text></g>");
        }

        for (var i = 0; i <= 4; i++)
        {
            var y = maxY * i / 4;
            var py = Sy(y);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{P(py)}\" y2=\"{P(py)}\" stroke=\"#e4e4e7\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{P(py + 4)}\" text-anchor=\"end\" class=\"tick\">{Tick(y)}</text>");
        }

        foreach (var x in XTicks(chart, scale))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{P(scale.X(x))}\" y=\"{PlotBottom + 16}\" text-anchor=\"middle\" class=\"tick\">{Tick(x)}{Enc(chart.XUnit)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{(PlotBottom + Top) / 2}\" transform=\"rotate(-90 14 {(PlotBottom + Top) / 2})\" text-anchor=\"middle\" class=\"tick\">{Enc(chart.YLabel)}</text>");

        foreach (var level in chart.Levels)
        {
            var py = Sy(level.Y);
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"level\" data-level=\"{Enc(level.Label)}\" data-y=\"{N(level.Y)}\"><line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{P(py)}\" y2=\"{P(py)}\" stroke=\"#b91c1c\" stroke-dasharray=\"2 4\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 4}\" y=\"{P(py - 4)}\" text-anchor=\"end\" class=\"level-label\">{Enc(level.Label)}</text></g>");
        }

        foreach (var s in chart.Series)
        {
            var plotted = s.Points.Where(p => !double.IsNaN(p.Y)).ToArray();
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"series\" data-series=\"{Enc(s.Name)}\" data-points=\"{plotted.Length}\" data-x=\"{string.Join(' ', plotted.Select(p => N(p.X)))}\" data-y=\"{string.Join(' ', plotted.Select(p => N(p.Y)))}\"><title>{Enc(s.Name)}</title>");
            foreach (var segment in Segments(s.Points))
            {
                if (segment.Count == 1)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{P(scale.X(segment[0].X))}\" cy=\"{P(Sy(segment[0].Y))}\" r=\"2.5\" fill=\"{s.Color}\"/>");
                    continue;
                }

                var path = string.Join(' ', segment.Select(p => P(scale.X(p.X)) + "," + P(Sy(p.Y))));
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"2\"{(s.Dashed ? " stroke-dasharray=\"6 4\"" : string.Empty)} points=\"{path}\"/>");
            }

            svg.Append("</g>");
        }

        foreach (var d in chart.Dots)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"dot {(d.Pass ? "pass" : "fail")}\" data-x=\"{N(d.X)}\" data-y=\"{N(d.Y)}\" cx=\"{P(scale.X(d.X))}\" cy=\"{P(Sy(d.Y))}\" r=\"5\" fill=\"{(d.Pass ? "#16a34a" : "#dc2626")}\" stroke=\"#fff\"><title>{Enc(d.Label)}</title></circle>");
        }

        foreach (var m in chart.Markers)
        {
            var px = scale.X(m.X);
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"marker\" data-marker=\"{Enc(m.Kind)}\" data-x=\"{N(m.X)}\" data-px=\"{P(px)}\"><line x1=\"{P(px)}\" x2=\"{P(px)}\" y1=\"{Top}\" y2=\"{PlotBottom}\" stroke=\"#18181b\" stroke-width=\"2\" stroke-dasharray=\"8 4\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{P(px + 6)}\" y=\"{Top + 14}\" class=\"marker-label\">{Enc(m.Label)}</text></g>");
        }

        if (chart.Series.All(s => s.Points.All(p => double.IsNaN(p.Y))) && chart.Dots.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + (PlotWidth / 2)}\" y=\"{(PlotBottom + Top) / 2}\" text-anchor=\"middle\" class=\"empty\">no data</text>");
        }

        svg.Append("</svg>");

        // The legend is HTML, so it wraps however many series there are.
        if (chart.Series.Count > 0)
        {
            svg.Append("<div class=\"legend\">");
            foreach (var s in chart.Series)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<span><svg width=\"22\" height=\"8\" aria-hidden=\"true\"><line x1=\"1\" x2=\"21\" y1=\"4\" y2=\"4\" stroke=\"{s.Color}\" stroke-width=\"3\"{(s.Dashed ? " stroke-dasharray=\"6 3\"" : string.Empty)}/></svg>{Enc(s.Name)}</span>");
            }

            svg.Append("</div>");
        }

        svg.Append("</figure>");
        return svg.ToString();
    }

    /// <summary>The runs of consecutive points with data; a NaN ends one.</summary>
    internal static List<List<(double X, double Y)>> Segments(IReadOnlyList<(double X, double Y)> points)
    {
        var segments = new List<List<(double X, double Y)>>();
        List<(double X, double Y)>? current = null;
        foreach (var p in points)
        {
            if (double.IsNaN(p.Y))
            {
                current = null;
                continue;
            }

            if (current is null)
            {
                current = [];
                segments.Add(current);
            }

            current.Add(p);
        }

        return segments;
    }

    private static IEnumerable<double> XTicks(Chart chart, Scale scale)
    {
        if (chart.XTicks is { } ticks)
        {
            return ticks;
        }

        var step = Math.Max(1, (int)Math.Ceiling(scale.Max / 10));
        return Enumerable.Range(0, (int)(scale.Max / step) + 1).Select(i => (double)(i * step));
    }

    private static double NiceCeiling(double v)
    {
        if (v <= 0)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (var m in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (m * magnitude >= v)
            {
                return m * magnitude;
            }
        }

        return 10 * magnitude;
    }

    /// <summary>A coordinate or value as written in the SVG: invariant, at most 3 decimals.</summary>
    internal static string N(double v) => Math.Round(v, 3).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A pixel coordinate: invariant, one decimal.</summary>
    internal static string P(double v) => Math.Round(v, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private static string Secs(double v) => v.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    private static string Tick(double v) => v.ToString(v >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}

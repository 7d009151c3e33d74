using System.Globalization;
using System.Net;
using System.Text;

namespace PaySim.LoadEngine.Reporting;

/// <summary>A minimal line chart rendered as inline SVG, so report.html needs no script and no network.</summary>
internal static class SvgChart
{
    private const int Width = 960;
    private const int Height = 280;
    private const int Left = 64;
    private const int Right = 16;
    private const int Top = 16;
    private const int Bottom = 40;

    public static readonly string[] Palette = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563"];

    public sealed record Series(string Name, string Color, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);

    public static string Render(string title, string yLabel, IReadOnlyList<Series> series)
    {
        var all = series.SelectMany(s => s.Points).ToArray();
        var maxX = all.Length == 0 ? 1 : Math.Max(1, all.Max(p => p.X));
        var maxY = NiceCeiling(all.Length == 0 ? 1 : all.Max(p => p.Y));
        double Sx(double x) => Left + x / maxX * (Width - Left - Right);
        double Sy(double y) => Height - Bottom - y / maxY * (Height - Top - Bottom);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<figure><figcaption>{Enc(title)}</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"100%\" role=\"img\" aria-label=\"{Enc(title)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"#fafafa\" stroke=\"#d4d4d8\"/>");
        for (var i = 0; i <= 4; i++)
        {
            var y = maxY * i / 4;
            var py = Sy(y);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{py:0.#}\" y2=\"{py:0.#}\" stroke=\"#e4e4e7\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{py + 4:0.#}\" text-anchor=\"end\" class=\"tick\">{Tick(y)}</text>");
        }

        var xStep = Math.Max(1, (int)Math.Ceiling(maxX / 10));
        for (var x = 0; x <= maxX; x += xStep)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Sx(x):0.#}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" class=\"tick\">{x}s</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{(Height - Bottom + Top) / 2}\" transform=\"rotate(-90 14 {(Height - Bottom + Top) / 2})\" text-anchor=\"middle\" class=\"tick\">{Enc(yLabel)}</text>");
        foreach (var s in series.Where(s => s.Points.Count > 0))
        {
            var path = string.Join(' ', s.Points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{Sx(p.X):0.#},{Sy(p.Y):0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"2\"{(s.Dashed ? " stroke-dasharray=\"6 4\"" : string.Empty)} points=\"{path}\"><title>{Enc(s.Name)}</title></polyline>");
            if (s.Points.Count == 1)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Sx(s.Points[0].X):0.#}\" cy=\"{Sy(s.Points[0].Y):0.#}\" r=\"3\" fill=\"{s.Color}\"/>");
            }
        }

        var lx = Left;
        foreach (var s in series)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{lx}\" x2=\"{lx + 18}\" y1=\"{Height - 10}\" y2=\"{Height - 10}\" stroke=\"{s.Color}\" stroke-width=\"3\"{(s.Dashed ? " stroke-dasharray=\"6 4\"" : string.Empty)}/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{lx + 22}\" y=\"{Height - 6}\" class=\"legend\">{Enc(s.Name)}</text>");
            lx += 30 + (s.Name.Length * 7);
        }

        svg.Append("</svg></figure>");
        return svg.ToString();
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

    private static string Tick(double v) => v.ToString(v >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}

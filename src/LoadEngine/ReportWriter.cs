using System.Text;
using PaySim.LoadEngine.Reporting;

namespace PaySim.LoadEngine;

/// <summary>
/// Writes the report files into one folder: summary.json, report.md, report.html (self-contained,
/// opens offline), junit.xml (one test case per claim), timeseries.csv (per second and scenario) and
/// timeseries-steps.csv (per second, scenario and step). Call it after adding your own claims and
/// <see cref="RunSummary.Extra"/> fields; everything added shows in every file. report.html also draws two
/// extra fields when present: <c>faultTimeline</c> (shaded windows) and <c>capacity</c> (p99 against rate), as docs/load-engine.md describes.
/// </summary>
public static class ReportWriter
{
    public const string SummaryFile = "summary.json";
    public const string MarkdownFile = "report.md";
    public const string HtmlFile = "report.html";
    public const string JunitFile = "junit.xml";
    public const string TimeSeriesFile = "timeseries.csv";
    public const string StepTimeSeriesFile = "timeseries-steps.csv";

    public static async Task WriteAsync(string folder, RunSummary summary, IReadOnlyList<TimeSeriesPoint> timeSeries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(timeSeries);
        Directory.CreateDirectory(folder);
        var utf8 = new UTF8Encoding(false);
        await File.WriteAllTextAsync(Path.Combine(folder, SummaryFile), summary.ToJson(), utf8, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, MarkdownFile), MarkdownReport.Render(summary), utf8, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, HtmlFile), HtmlReport.Render(summary, timeSeries), utf8, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, JunitFile), JunitReport.Render(summary), utf8, cancellationToken).ConfigureAwait(false);
        var csv = new StringBuilder().AppendLine(CsvReportingSink.Header);
        foreach (var p in timeSeries)
        {
            csv.AppendLine(CsvReportingSink.FormatRow(p));
        }

        await File.WriteAllTextAsync(Path.Combine(folder, TimeSeriesFile), csv.ToString(), utf8, cancellationToken).ConfigureAwait(false);
        var steps = new StringBuilder().AppendLine(CsvReportingSink.StepsHeader);
        foreach (var row in timeSeries.SelectMany(CsvReportingSink.FormatStepRows))
        {
            steps.AppendLine(row);
        }

        await File.WriteAllTextAsync(Path.Combine(folder, StepTimeSeriesFile), steps.ToString(), utf8, cancellationToken).ConfigureAwait(false);
    }
}

using System.Globalization;
using System.Text;

namespace PaySim.LoadEngine;

/// <summary>
/// Appends every snapshot to a CSV file as it arrives (same columns as timeseries.csv; the per-step rows of
/// timeseries-steps.csv are written with the report).
/// </summary>
public sealed class CsvReportingSink : IReportingSink, IDisposable
{
    internal const string Header = "second,elapsed_s,scenario,requests,ok,fail,dropped,rps,p50_ms,p99_ms,concurrency,target_rps,max_start_lag_ms";

    internal const string StepsHeader = "second,elapsed_s,scenario,step,requests,ok,fail,p50_ms,p99_ms";

    private readonly StreamWriter _writer;

    public CsvReportingSink(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        _writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        _writer.WriteLine(Header);
        _writer.Flush();
    }

    public async Task OnSnapshotAsync(IReadOnlyList<TimeSeriesPoint> points, CancellationToken cancellationToken)
    {
        foreach (var p in points)
        {
            await _writer.WriteLineAsync(FormatRow(p)).ConfigureAwait(false);
        }

        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task OnRunCompletedAsync(RunResult result, CancellationToken cancellationToken) => _writer.FlushAsync(cancellationToken);

    public void Dispose() => _writer.Dispose();

    internal static string FormatRow(TimeSeriesPoint p) => string.Join(
        ',',
        p.Second.ToString(CultureInfo.InvariantCulture),
        p.ElapsedS.ToString("0.###", CultureInfo.InvariantCulture),
        Escape(p.Scenario),
        p.Requests.ToString(CultureInfo.InvariantCulture),
        p.Ok.ToString(CultureInfo.InvariantCulture),
        p.Fail.ToString(CultureInfo.InvariantCulture),
        p.Dropped.ToString(CultureInfo.InvariantCulture),
        p.Rps.ToString("0.###", CultureInfo.InvariantCulture),
        p.P50Ms.ToString("0.###", CultureInfo.InvariantCulture),
        p.P99Ms.ToString("0.###", CultureInfo.InvariantCulture),
        p.Concurrency.ToString(CultureInfo.InvariantCulture),
        p.TargetRps is { } target ? target.ToString("0.###", CultureInfo.InvariantCulture) : string.Empty,
        p.MaxStartLagMs.ToString("0.###", CultureInfo.InvariantCulture));

    /// <summary>The point's step rows for timeseries-steps.csv, one per step that completed in the second.</summary>
    internal static IEnumerable<string> FormatStepRows(TimeSeriesPoint p) => p.Steps.Select(s => string.Join(
        ',',
        p.Second.ToString(CultureInfo.InvariantCulture),
        p.ElapsedS.ToString("0.###", CultureInfo.InvariantCulture),
        Escape(p.Scenario),
        Escape(s.Name),
        s.Requests.ToString(CultureInfo.InvariantCulture),
        s.Ok.ToString(CultureInfo.InvariantCulture),
        s.Fail.ToString(CultureInfo.InvariantCulture),
        s.P50Ms.ToString("0.###", CultureInfo.InvariantCulture),
        s.P99Ms.ToString("0.###", CultureInfo.InvariantCulture)));

    private static string Escape(string s) =>
        s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}

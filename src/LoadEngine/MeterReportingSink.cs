using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace PaySim.LoadEngine;

/// <summary>
/// Publishes the per-second snapshots as System.Diagnostics.Metrics instruments on the meter
/// "PaySim.LoadEngine", tagged with <c>scenario</c>. OpenTelemetry (<c>AddMeter("PaySim.LoadEngine")</c>),
/// dotnet-counters or any MeterListener can export them; the engine itself needs no OpenTelemetry package.
/// Counters: loadengine.iterations.ok / .fail / .dropped. Gauges: loadengine.rps, loadengine.latency.p50 /
/// .p99 (ms), loadengine.concurrency.
/// </summary>
public sealed class MeterReportingSink : IReportingSink, IDisposable
{
    public const string MeterName = "PaySim.LoadEngine";

    private readonly Meter _meter;
    private readonly Counter<long> _ok;
    private readonly Counter<long> _fail;
    private readonly Counter<long> _dropped;
    private readonly ConcurrentDictionary<string, TimeSeriesPoint> _latest = new(StringComparer.Ordinal);

    public MeterReportingSink(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _ok = _meter.CreateCounter<long>("loadengine.iterations.ok", "{iteration}", "Iterations that returned Response.Ok");
        _fail = _meter.CreateCounter<long>("loadengine.iterations.fail", "{iteration}", "Iterations that failed");
        _dropped = _meter.CreateCounter<long>("loadengine.iterations.dropped", "{iteration}", "Open-model iterations dropped at maxConcurrency");
        _meter.CreateObservableGauge("loadengine.rps", () => Observe(p => p.Rps), "{iteration}/s", "Completed iterations in the last second");
        _meter.CreateObservableGauge("loadengine.latency.p50", () => Observe(p => p.P50Ms), "ms", "Median latency in the last second");
        _meter.CreateObservableGauge("loadengine.latency.p99", () => Observe(p => p.P99Ms), "ms", "99th percentile latency in the last second");
        _meter.CreateObservableGauge("loadengine.concurrency", () => Observe(p => p.Concurrency), "{iteration}", "Iterations in flight or copies running");
    }

    public Task OnSnapshotAsync(IReadOnlyList<TimeSeriesPoint> points, CancellationToken cancellationToken)
    {
        foreach (var p in points)
        {
            var tag = new KeyValuePair<string, object?>("scenario", p.Scenario);
            _ok.Add(p.Ok, tag);
            _fail.Add(p.Fail, tag);
            _dropped.Add(p.Dropped, tag);
            _latest[p.Scenario] = p;
        }

        return Task.CompletedTask;
    }

    public Task OnRunCompletedAsync(RunResult result, CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<double>> Observe(Func<TimeSeriesPoint, double> value) =>
        _latest.Values.Select(p => new Measurement<double>(value(p), new KeyValuePair<string, object?>("scenario", p.Scenario))).ToArray();
}

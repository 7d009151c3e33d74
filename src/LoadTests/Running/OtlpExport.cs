using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Diagnostics.Tracing;
using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using PaySim.LoadEngine;
using PaySim.LoadTests.Sharding;

namespace PaySim.LoadTests.Running;

/// <summary>
/// <c>--otlp URL</c>: the engine's per-second figures (the <see cref="MeterReportingSink"/> meter:
/// iterations ok/fail/dropped, rps, p50/p99, concurrency, by scenario) pushed every second to an
/// OpenTelemetry collector over OTLP/HTTP (protobuf, <c>URL/v1/metrics</c>, or URL itself when it already ends so),
/// the sink k6 and NBomber users plug their Grafana into. Beside them, as an <see cref="IRequestObserver"/>, every counted
/// request's latency on two histograms of its own meter (<see cref="MeterName"/>): <see cref="StepDuration"/> (each
/// <c>Step.Run</c> step, tagged <c>scenario</c>, <c>step</c>, <c>ok</c>, <c>status</c>) and <see cref="IterationDuration"/>
/// (each iteration, tagged <c>scenario</c>, <c>ok</c>, <c>status</c>), in ms, aggregated as base-2 exponential histograms
/// so any percentile can be drawn from them, across shards too, within the histogram's relative error at any scale.
/// The run's own files stay the source of truth; an export the collector did not take is not silent:
/// <see cref="Finish"/> gives the run's warning.
/// </summary>
internal sealed class OtlpExport : IRequestObserver, IDisposable
{
    public const string ServiceName = "paysim-loadtests";

    /// <summary>The meter of the request histograms.</summary>
    public const string MeterName = "PaySim.LoadTests.Requests";

    /// <summary>Each counted step's latency, from its start to its reply (ms).</summary>
    public const string StepDuration = "paysim.step.duration";

    /// <summary>Each counted iteration's latency, from its intended start (ms).</summary>
    public const string IterationDuration = "paysim.iteration.duration";

    /// <summary>The OTLP/HTTP path for metrics.</summary>
    public const string MetricsPath = "/v1/metrics";

    private readonly MeterProvider _provider;
    private readonly Meter _meter;
    private readonly Histogram<double> _stepDuration;
    private readonly Histogram<double> _iterationDuration;
    private readonly ExporterErrors _errors = new();
    private bool _finished;

    public OtlpExport(Uri endpoint, string plan, ShardSpec shard)
    {
        Sink = new MeterReportingSink();
        MetricsUri = MetricsEndpoint(endpoint);
        _meter = new Meter(MeterName);
        _stepDuration = _meter.CreateHistogram<double>(StepDuration, "ms", "Latency of each counted step, from its start to its reply");
        _iterationDuration = _meter.CreateHistogram<double>(IterationDuration, "ms", "Latency of each counted iteration, from its intended start");
        _provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService(ServiceName).AddAttributes(
            [
                new KeyValuePair<string, object>("paysim.plan", plan),
                new KeyValuePair<string, object>("paysim.shard", $"{shard.Index}/{shard.Count}"),
            ]))
            .AddMeter(MeterReportingSink.MeterName, MeterName)
            .AddView(StepDuration, new Base2ExponentialBucketHistogramConfiguration())
            .AddView(IterationDuration, new Base2ExponentialBucketHistogramConfiguration())
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = MetricsUri;
                exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                exporter.TimeoutMilliseconds = 5_000;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 1_000;
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
            })
            .Build();
    }

    public MeterReportingSink Sink { get; }

    /// <summary>Where the exports go.</summary>
    public Uri MetricsUri { get; }

    /// <summary>Records the request on its histogram; a <see cref="TagList"/> of up to eight tags allocates nothing.</summary>
    public void OnRequest(in RequestSample sample)
    {
        var tags = new TagList
        {
            { "scenario", sample.Scenario },
        };
        if (sample.Step is { } step)
        {
            tags.Add("step", step);
        }

        tags.Add("ok", sample.IsOk ? "true" : "false");
        tags.Add("status", sample.StatusCode);
        var ms = sample.LatencyMicros / 1000.0;
        if (sample.Step is null)
        {
            _iterationDuration.Record(ms, in tags);
        }
        else
        {
            _stepDuration.Record(ms, in tags);
        }
    }

    /// <summary>URL/v1/metrics; a URL that already ends in /v1/metrics (how OTEL_EXPORTER_OTLP_METRICS_ENDPOINT is written) is taken as it is.</summary>
    public static Uri MetricsEndpoint(Uri endpoint)
    {
        var text = endpoint.ToString().TrimEnd('/');
        return new Uri(text.EndsWith(MetricsPath, StringComparison.OrdinalIgnoreCase) ? text : text + MetricsPath);
    }

    /// <summary>
    /// Pushes what is left (the last seconds of the run) and says, in one line for the run's warnings, whether any
    /// export failed (the collector down, a wrong path answered 404): null when every export was taken.
    /// </summary>
    public string? Finish()
    {
        var flushed = _provider.ForceFlush(5_000);
        _finished = true;
        var (count, first) = _errors.Snapshot();
        if (flushed && count == 0)
        {
            return null;
        }

        var what = count == 0 ? "the last export did not complete within 5 s" : $"{count.ToString(CultureInfo.InvariantCulture)} export error(s), the first: {first}";
        return $"--otlp: the collector at {MetricsUri} did not take every export ({what}); the load-side figures in your dashboard are incomplete, the report files are not";
    }

    public void Dispose()
    {
        if (!_finished)
        {
            _provider.ForceFlush(5_000);
        }

        _provider.Dispose();
        _meter.Dispose();
        Sink.Dispose();
        _errors.Dispose();
    }

    /// <summary>The OTLP exporter reports a failed export only on its EventSource; this listens for its warnings and errors.</summary>
    private sealed class ExporterErrors : EventListener
    {
        private const string SourceName = "OpenTelemetry-Exporter-OpenTelemetryProtocol";
        private readonly Lock _gate = new();
        private int _count;
        private string? _first;

        public (int Count, string? First) Snapshot()
        {
            lock (_gate)
            {
                return (_count, _first);
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == SourceName)
            {
                EnableEvents(eventSource, EventLevel.Warning);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventSource.Name != SourceName || eventData.Level > EventLevel.Warning)
            {
                return;
            }

            var text = eventData.Message is { } format && eventData.Payload is { } payload
                ? string.Format(CultureInfo.InvariantCulture, format, payload.ToArray())
                : eventData.EventName ?? "export failed";
            lock (_gate)
            {
                _count++;
                _first ??= Line(text);
            }
        }

        // The exporter's messages carry an exception's whole text; its first line says what happened.
        private static string Line(string text)
        {
            var line = text.ReplaceLineEndings("\n").Split('\n')[0].Trim();
            return line.Length <= 200 ? line : line[..200] + "…";
        }
    }
}

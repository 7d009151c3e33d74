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
/// OpenTelemetry collector over OTLP/HTTP (protobuf, <c>URL/v1/metrics</c>), the sink k6 and NBomber
/// users plug their Grafana into. The run's own files stay the source of truth.
/// </summary>
internal sealed class OtlpExport : IDisposable
{
    public const string ServiceName = "paysim-loadtests";

    private readonly MeterProvider _provider;

    public OtlpExport(Uri endpoint, string plan, ShardSpec shard)
    {
        Sink = new MeterReportingSink();
        var metricsUri = new Uri(endpoint.ToString().TrimEnd('/') + "/v1/metrics");
        _provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService(ServiceName).AddAttributes(
            [
                new KeyValuePair<string, object>("paysim.plan", plan),
                new KeyValuePair<string, object>("paysim.shard", $"{shard.Index}/{shard.Count}"),
            ]))
            .AddMeter(MeterReportingSink.MeterName)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = metricsUri;
                exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                exporter.TimeoutMilliseconds = 5_000;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 1_000;
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
            })
            .Build();
    }

    public MeterReportingSink Sink { get; }

    /// <summary>Pushes what is left (the last seconds of the run) before the process moves on.</summary>
    public void Dispose()
    {
        _provider.ForceFlush(5_000);
        _provider.Dispose();
        Sink.Dispose();
    }
}

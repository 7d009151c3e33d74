using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace PaySim.LoadEngine.Tests.Reporting;

public sealed class MeterReportingSinkTests
{
    [Fact]
    public async Task Snapshots_ArePublishedAsCountersAndGauges_TaggedByScenario()
    {
        using var sink = new MeterReportingSink();
        var longs = new ConcurrentDictionary<string, long>();
        var doubles = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MeterReportingSink.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => longs.AddOrUpdate($"{i.Name}/{tags[0].Value}", v, (_, old) => old + v));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => doubles[$"{i.Name}/{tags[0].Value}"] = v);
        listener.Start();

        await sink.OnSnapshotAsync(
            [new TimeSeriesPoint { Second = 1, Scenario = "pay", Requests = 12, Ok = 10, Fail = 2, Dropped = 3, Rps = 12, P50Ms = 4, P99Ms = 40, Concurrency = 5 }],
            CancellationToken.None);
        listener.RecordObservableInstruments();

        Assert.Equal(10, longs["loadengine.iterations.ok/pay"]);
        Assert.Equal(2, longs["loadengine.iterations.fail/pay"]);
        Assert.Equal(3, longs["loadengine.iterations.dropped/pay"]);
        Assert.Equal(12, doubles["loadengine.rps/pay"]);
        Assert.Equal(40, doubles["loadengine.latency.p99/pay"]);
        Assert.Equal(5, doubles["loadengine.concurrency/pay"]);
    }
}

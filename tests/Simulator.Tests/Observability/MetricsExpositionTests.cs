using System.Globalization;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Observability;

/// <summary>GET /metrics as Prometheus itself judges it: promtool's lint, histograms in seconds, counters that never go down, stable series.</summary>
public sealed class MetricsExpositionTests
{
    [ToolFact(ExternalTools.Promtool)]
    public async Task Metrics_AfterCallsFaultsAndANodeStateChange_PassPromtoolCheckMetrics()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 2));
        await sim.Http.PostAsync("/v1/faults", new StringContent("""{"name":"boom","node":"issuer-1","method":"Authorize","error":{"grpcStatus":"UNAVAILABLE"},"probability":0.5}"""));
        for (var i = 0; i < 10; i++)
        {
            try
            {
                await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = "nope", AmountMinor = 1 });
            }
            catch (Grpc.Core.RpcException)
            {
            }
        }

        await sim.Http.PostAsync("/v1/nodes/issuer-2/not-serving", null);
        var text = await sim.Http.GetStringAsync("/metrics");

        var (code, output) = await Promtool.CheckMetricsAsync(text);
        Assert.True(code == 0 && output.Length == 0, $"promtool exit {code}: {output}");
        Assert.Contains("# TYPE paysim_call_duration_seconds histogram", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LatencyHistogram_CountsEveryCall_InSeconds()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1));
        for (var i = 0; i < 6; i++)
        {
            await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = "nope", AmountMinor = 1 });
        }

        var text = await sim.Http.GetStringAsync("/metrics");

        Assert.Equal(6, Sample(text, "paysim_call_duration_seconds_count{node=\"issuer-1\",method=\"Authorize\"}"));
        Assert.Equal(6, Sample(text, "paysim_call_duration_seconds_bucket{node=\"issuer-1\",method=\"Authorize\",le=\"+Inf\"}"));
        var sum = Sample(text, "paysim_call_duration_seconds_sum{node=\"issuer-1\",method=\"Authorize\"}");
        Assert.InRange(sum, 1e-7, 6.0); // seconds, not milliseconds or microseconds: six local calls are well under a second each
        Assert.Equal(6, Sample(text, "paysim_calls_total{node=\"issuer-1\",method=\"Authorize\"}"));
    }

    [Fact]
    public async Task Counters_NeverGoDownAcrossAReset_AndNodeStateKeepsItsSeries()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 2));
        await CallsAsync(sim, 4);
        var before = await sim.Http.GetStringAsync("/metrics");
        await sim.Http.PostAsync("/v1/reset", null);
        await CallsAsync(sim, 3);
        await sim.Http.PostAsync("/v1/nodes/issuer-2/down", null);
        var after = await sim.Http.GetStringAsync("/metrics");

        const string calls = "paysim_calls_total{node=\"issuer-1\",method=\"Authorize\"}";
        Assert.Equal(4, Sample(before, calls));
        Assert.Equal(7, Sample(after, calls));
        Assert.Equal(SeriesOf(before, "paysim_node_state"), SeriesOf(after, "paysim_node_state"));
        Assert.Equal(1, Sample(after, "paysim_node_state{node=\"issuer-2\",kind=\"issuer\",state=\"DOWN\"}"));
        Assert.Equal(0, Sample(after, "paysim_node_state{node=\"issuer-2\",kind=\"issuer\",state=\"UP\"}"));
        Assert.Equal(0, Sample(after, "paysim_node_up{node=\"issuer-2\",kind=\"issuer\"}"));
        Assert.Equal(1, Sample(after, "paysim_node_up{node=\"issuer-1\",kind=\"issuer\"}"));
    }

    private static async Task CallsAsync(TestSimulator sim, int n)
    {
        for (var i = 0; i < n; i++)
        {
            await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = "nope", AmountMinor = 1 });
        }
    }

    private static double Sample(string text, string series) =>
        double.Parse(text.Split('\n').Single(l => l.StartsWith(series + " ", StringComparison.Ordinal))[(series.Length + 1)..], CultureInfo.InvariantCulture);

    private static string[] SeriesOf(string text, string family) =>
        text.Split('\n').Where(l => l.StartsWith(family + "{", StringComparison.Ordinal)).Select(l => l[..l.LastIndexOf(' ')]).ToArray();
}

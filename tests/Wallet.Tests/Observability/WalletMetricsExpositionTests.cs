using PaySim.Wallet.Hosting;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.Observability;

/// <summary>The wallet's GET /metrics as Prometheus judges it, with each instance's series apart.</summary>
public sealed class WalletMetricsExpositionTests : IAsyncLifetime, IDisposable
{
    private readonly TempDatabase _db = new();
    private WalletHost _host = null!;

    public async Task InitializeAsync() => _host = await WalletHost.StartAsync(Hosts.Options(_db.Path, instances: 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _db.Dispose();

    [ToolFact(ExternalTools.Promtool)]
    public async Task Metrics_AfterRequestsOfSeveralKinds_PassPromtoolCheckMetrics_AndNameOnlyTheirInstance()
    {
        using var first = new WalletClient(_host.Instances[0].Uri);
        await first.GetAsync("/health");
        await first.GetAsync("/cards");
        await first.PostAsync("/users", new { phone = "1" });
        await first.GetAsync("/no/such/route");

        var text = (await first.GetAsync("/metrics")).Text;
        using var second = new WalletClient(_host.Instances[1].Uri);
        var other = (await second.GetAsync("/metrics")).Text;

        var (code, output) = await Promtool.CheckMetricsAsync(text);
        Assert.True(code == 0 && output.Length == 0, $"promtool exit {code}: {output}");
        Assert.Contains("wallet_http_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("wallet=\"wallet-2\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("wallet=\"wallet-1\"", other, StringComparison.Ordinal);
    }
}

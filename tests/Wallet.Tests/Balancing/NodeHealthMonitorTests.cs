using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PaySim.Wallet.Balancing;
using PaySim.Wallet.Configuration;

namespace PaySim.Wallet.Tests.Balancing;

public sealed class NodeHealthMonitorTests : IAsyncLifetime
{
    private static readonly Uri[] Nodes = [new("http://127.0.0.1:7101"), new("http://127.0.0.1:7102"), new("http://127.0.0.1:7103")];
    private readonly FakeTimeProvider _time = new();
    private NodeHealthMonitor _monitor = null!;
    private int _changes;

    public Task InitializeAsync()
    {
        var options = new WalletOptions { TimeProvider = _time, OutlierConsecutiveFailures = 3, OutlierEjectionTime = TimeSpan.FromSeconds(10) };
        _monitor = new NodeHealthMonitor(Nodes, options, NullLoggerFactory.Instance);
        _monitor.Changed += () => _changes++;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _monitor.DisposeAsync();

    [Fact]
    public void ReportCallOutcome_ConsecutiveFailures_EjectTheNodeUntilTheEjectionTimePasses()
    {
        var second = new BalancerAddress("127.0.0.1", 7102);
        _monitor.ReportCallOutcome(second, failed: true);
        _monitor.ReportCallOutcome(second, failed: true);
        _monitor.ReportCallOutcome(second, failed: false);
        _monitor.ReportCallOutcome(second, failed: true);
        _monitor.ReportCallOutcome(second, failed: true);
        Assert.Equal([7101, 7102, 7103], Ports());

        _monitor.ReportCallOutcome(second, failed: true);
        Assert.Equal([7101, 7103], Ports());
        Assert.Equal(1, _changes);

        _time.Advance(TimeSpan.FromSeconds(9));
        _monitor.Recompute();
        Assert.Equal([7101, 7103], Ports());
        _time.Advance(TimeSpan.FromSeconds(1));
        _monitor.Recompute();
        Assert.Equal([7101, 7102, 7103], Ports());
        Assert.Equal(2, _changes);
    }

    [Fact]
    public void ReportCallOutcome_EveryNodeEjected_OffersAllRatherThanNone()
    {
        foreach (var node in Nodes)
        {
            for (var i = 0; i < 3; i++)
            {
                _monitor.ReportCallOutcome(new BalancerAddress(node.Host, node.Port), failed: true);
            }
        }

        Assert.Equal([7101, 7102, 7103], Ports());
    }

    [Fact]
    public void ReportCallOutcome_UnknownAddress_IsIgnored()
    {
        for (var i = 0; i < 10; i++)
        {
            _monitor.ReportCallOutcome(new BalancerAddress("127.0.0.1", 9999), failed: true);
        }

        Assert.Equal(0, _changes);
        Assert.Equal(3, _monitor.UsableAddresses.Count);
    }

    private int[] Ports() => _monitor.UsableAddresses.Select(a => a.EndPoint.Port).ToArray();
}

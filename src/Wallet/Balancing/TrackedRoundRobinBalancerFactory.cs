using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Logging;
using PaySim.Wallet.Configuration;

namespace PaySim.Wallet.Balancing;

/// <summary>
/// <c>round_robin</c> as gRPC defines it (ready nodes in turn, starting at a random one), registered under the
/// built-in name so the channel picks ours first. The one addition: every pick carries the subchannel's
/// <see cref="InFlightCounter"/>, so failed calls reach the <see cref="NodeHealthMonitor"/> and a node that keeps
/// failing or hanging is ejected (outlier ejection). grpc-dotnet's own balancer is internal and cannot be wrapped.
/// </summary>
internal sealed class TrackedRoundRobinBalancerFactory(NodeHealthMonitor? monitor, SeededRandom random) : LoadBalancerFactory
{
    public override string Name => BalancingPolicies.RoundRobin;

    public override LoadBalancer Create(LoadBalancerOptions options) => new Balancer(options.Controller, options.LoggerFactory, monitor, random);

    private sealed class Balancer(IChannelControlHelper controller, ILoggerFactory loggerFactory, NodeHealthMonitor? monitor, SeededRandom random)
        : SubchannelsLoadBalancer(controller, loggerFactory)
    {
        protected override SubchannelPicker CreatePicker(IReadOnlyList<Subchannel> readySubchannels) =>
            new RoundRobinPicker(readySubchannels.Select(s => (s, InFlightCounter.For(s, monitor))).ToArray(), random.Next(readySubchannels.Count));
    }
}

internal sealed class RoundRobinPicker((Subchannel Subchannel, InFlightCounter Counter)[] nodes, int start) : SubchannelPicker
{
    private int _next = start - 1;

    public override PickResult Pick(PickContext context)
    {
        var node = nodes[(int)((uint)Interlocked.Increment(ref _next) % (uint)nodes.Length)];
        return PickResult.ForSubchannel(node.Subchannel, node.Counter);
    }
}

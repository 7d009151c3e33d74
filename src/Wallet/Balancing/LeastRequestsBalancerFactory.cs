using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Logging;
using PaySim.Wallet.Configuration;

namespace PaySim.Wallet.Balancing;

/// <summary>
/// <c>least_requests</c>: the ready node with the fewest calls in flight (ties rotate), YARP's LeastRequests.
/// A slow node accumulates in-flight calls and so receives fewer new ones.
/// </summary>
internal sealed class LeastRequestsBalancerFactory(NodeHealthMonitor? monitor) : LoadBalancerFactory
{
    public override string Name => BalancingPolicies.LeastRequests;

    public override LoadBalancer Create(LoadBalancerOptions options) => new Balancer(options.Controller, options.LoggerFactory, monitor);

    private sealed class Balancer(IChannelControlHelper controller, ILoggerFactory loggerFactory, NodeHealthMonitor? monitor)
        : SubchannelsLoadBalancer(controller, loggerFactory)
    {
        protected override SubchannelPicker CreatePicker(IReadOnlyList<Subchannel> readySubchannels) =>
            new LeastRequestsPicker(readySubchannels.Select(s => (s, InFlightCounter.For(s, monitor))).ToArray());
    }
}

/// <summary>Picks the subchannel with the fewest in-flight calls; starting the scan at a rotating index spreads ties.</summary>
internal sealed class LeastRequestsPicker((Subchannel Subchannel, InFlightCounter Counter)[] nodes) : SubchannelPicker
{
    private int _start = -1;

    public override PickResult Pick(PickContext context)
    {
        var offset = (int)((uint)Interlocked.Increment(ref _start) % (uint)nodes.Length);
        var best = offset;
        var bestCount = int.MaxValue;
        for (var i = 0; i < nodes.Length; i++)
        {
            var index = (offset + i) % nodes.Length;
            var count = nodes[index].Counter.Count;
            if (count < bestCount)
            {
                best = index;
                bestCount = count;
            }
        }

        return PickResult.ForSubchannel(nodes[best].Subchannel, nodes[best].Counter);
    }
}

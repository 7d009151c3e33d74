using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Logging;
using PaySim.Wallet.Configuration;

namespace PaySim.Wallet.Balancing;

/// <summary>
/// <c>power_of_two_choices</c>: two distinct random ready nodes, the one with fewer calls in flight wins
/// (YARP's PowerOfTwoChoices). Nearly as good as least-requests without scanning every node.
/// </summary>
internal sealed class PowerOfTwoChoicesBalancerFactory(NodeHealthMonitor? monitor, SeededRandom random) : LoadBalancerFactory
{
    public override string Name => BalancingPolicies.PowerOfTwoChoices;

    public override LoadBalancer Create(LoadBalancerOptions options) => new Balancer(options.Controller, options.LoggerFactory, monitor, random);

    private sealed class Balancer(IChannelControlHelper controller, ILoggerFactory loggerFactory, NodeHealthMonitor? monitor, SeededRandom random)
        : SubchannelsLoadBalancer(controller, loggerFactory)
    {
        protected override SubchannelPicker CreatePicker(IReadOnlyList<Subchannel> readySubchannels) =>
            new PowerOfTwoChoicesPicker(readySubchannels.Select(s => (s, InFlightCounter.For(s, monitor))).ToArray(), random);
    }
}

internal sealed class PowerOfTwoChoicesPicker((Subchannel Subchannel, InFlightCounter Counter)[] nodes, SeededRandom random) : SubchannelPicker
{
    public override PickResult Pick(PickContext context)
    {
        if (nodes.Length == 1)
        {
            return PickResult.ForSubchannel(nodes[0].Subchannel, nodes[0].Counter);
        }

        var first = random.Next(nodes.Length);
        var second = random.Next(nodes.Length - 1);
        if (second >= first)
        {
            second++;
        }

        var pick = nodes[second].Counter.Count < nodes[first].Counter.Count ? nodes[second] : nodes[first];
        return PickResult.ForSubchannel(pick.Subchannel, pick.Counter);
    }
}

using Grpc.Net.Client.Balancer;

namespace PaySim.Wallet.Balancing;

/// <summary>
/// Calls in flight on one subchannel, kept in the subchannel's attributes so the count survives the picker
/// being rebuilt when another node comes or goes. Doubles as the call tracker, so a pick allocates nothing.
/// </summary>
internal sealed class InFlightCounter(NodeHealthMonitor? monitor) : ISubchannelCallTracker
{
    private static readonly BalancerAttributesKey<InFlightCounter> Key = new("paysim.in-flight");
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public static InFlightCounter For(Subchannel subchannel, NodeHealthMonitor? monitor)
    {
        if (!subchannel.Attributes.TryGetValue(Key, out var counter))
        {
            counter = new InFlightCounter(monitor);
            subchannel.Attributes.Set(Key, counter);
        }

        return counter;
    }

    public void Start() => Interlocked.Increment(ref _count);

    public void Complete(CompletionContext context)
    {
        Interlocked.Decrement(ref _count);
        monitor?.ReportCallOutcome(context.Address, context.Error is not null);
    }
}

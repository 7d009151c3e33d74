using PaySim.Contracts.Control.V1;
using PaySim.Simulator.Nodes;

namespace PaySim.Simulator.Faults.Serving;

/// <summary>Outage, flap and notServing rules act through the same node switch as POST /v1/nodes/{name}/down.</summary>
internal sealed class FaultNodeTarget(INodeControl nodes) : INodeFaultTarget
{
    public async Task ApplyAsync(string node, NodeFaultState state, CancellationToken cancellationToken) =>
        await nodes.SetNodeStateAsync(node, state switch
        {
            NodeFaultState.Down => NodeState.Down,
            NodeFaultState.NotServing => NodeState.NotServing,
            _ => NodeState.Up,
        }).ConfigureAwait(false);
}

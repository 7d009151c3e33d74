using PaySim.Contracts.Control.V1;

namespace PaySim.Simulator.Nodes;

/// <summary>The nodes the control plane can list and switch (implemented by the host).</summary>
internal interface INodeControl
{
    IReadOnlyList<NodeStatus> Nodes();

    /// <summary>Throws <see cref="KeyNotFoundException"/> with a one-line message for an unknown node.</summary>
    Task<NodeStatus> SetNodeStateAsync(string node, NodeState state);
}

namespace PaySim.Simulator.Faults.Serving;

/// <summary>The host side of node-state faults: takes a node down, brings it up, flips its health.</summary>
public interface INodeFaultTarget
{
    /// <summary>
    /// Called when the wanted state of a node changes. <see cref="NodeFaultState.None"/> means the
    /// faults let go of the node: bring it back up and SERVING.
    /// </summary>
    Task ApplyAsync(string node, NodeFaultState state, CancellationToken cancellationToken);
}

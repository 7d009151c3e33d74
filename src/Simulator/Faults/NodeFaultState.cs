namespace PaySim.Simulator.Faults;

/// <summary>What the active outage/flap/notServing rules want a node to be right now.</summary>
public enum NodeFaultState
{
    /// <summary>No node-state rule is active: the node is whatever the operator made it.</summary>
    None,

    /// <summary>Listening, calls work, the health service says NOT_SERVING.</summary>
    NotServing,

    /// <summary>Not listening: connections refused.</summary>
    Down,
}

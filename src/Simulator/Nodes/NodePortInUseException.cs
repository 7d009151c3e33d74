namespace PaySim.Simulator.Nodes;

/// <summary>A node could not listen because its port is taken; the host turns it into its own start error.</summary>
internal sealed class NodePortInUseException(string message, Exception inner) : Exception(message, inner);

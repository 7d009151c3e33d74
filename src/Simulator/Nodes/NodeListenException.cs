namespace PaySim.Simulator.Nodes;

/// <summary>
/// A node could not listen: its port is taken, or the socket refused the address or port (an address not on
/// this machine, a port it may not use). The host turns it into its own one-line start error.
/// </summary>
internal sealed class NodeListenException(string message, Exception inner) : Exception(message, inner);

namespace PaySim.Simulator.Hosting;

/// <summary>A user error at start (bad options, a port in use); the message is one line for the console.</summary>
public sealed class SimulatorStartException(string message, Exception? inner = null) : Exception(message, inner);

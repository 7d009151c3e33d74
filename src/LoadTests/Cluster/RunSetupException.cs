namespace PaySim.LoadTests.Cluster;

/// <summary>The target could not be prepared for the load (no cardholders, no card could be bound): the run ends without a verdict, exit code 3.</summary>
internal sealed class RunSetupException(string message, Exception? inner = null) : Exception(message, inner);

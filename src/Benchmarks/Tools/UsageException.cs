namespace PaySim.Benchmarks.Tools;

/// <summary>A mistake in a tool's arguments: reported as one line with exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

namespace PaySim.Simulator.Faults.Engine;

/// <summary>Injections on one node and method by one kind of fault.</summary>
public sealed record FaultCounter(string Node, string Method, FaultKind Kind, long Injections);

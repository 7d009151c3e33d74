namespace PaySim.Simulator.Faults.Engine;

/// <summary>Injections on one node and method by one kind of fault.</summary>
internal sealed record FaultCounter(string Node, string Method, IFaultKind Kind, long Injections);

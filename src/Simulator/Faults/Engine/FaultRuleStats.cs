namespace PaySim.Simulator.Faults.Engine;

/// <summary>Injections of one rule so far (rules that were cleared keep their count until a reset).</summary>
internal sealed record FaultRuleStats(string Name, IFaultKind Kind, string Node, string Method, long Injections, bool Active);

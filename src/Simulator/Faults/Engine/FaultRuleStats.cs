namespace PaySim.Simulator.Faults.Engine;

/// <summary>Injections of one rule so far (rules that were cleared keep their count until a reset).</summary>
public sealed record FaultRuleStats(string Name, FaultKind Kind, string Node, string Method, long Injections, bool Active);

namespace PaySim.Simulator.Faults.Engine;

internal sealed record FaultRuleMessages(string Outage, string RateLimited);

namespace PaySim.Simulator.Faults;

internal sealed record FaultRuleMessages(string Outage, string RateLimited);

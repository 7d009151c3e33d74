namespace PaySim.Simulator.Faults.Rules;

public enum FaultRampTarget
{
    Probability,
    Latency,
}

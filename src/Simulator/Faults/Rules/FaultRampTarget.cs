namespace PaySim.Simulator.Faults;

public enum FaultRampTarget
{
    Probability,
    Latency,
}

namespace PaySim.Simulator.Faults.Kinds.Latency;

public enum LatencyShape
{
    Fixed,
    Uniform,
    LogNormal,
}

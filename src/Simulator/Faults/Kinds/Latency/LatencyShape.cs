namespace PaySim.Simulator.Faults.Latency;

public enum LatencyShape
{
    Fixed,
    Uniform,
    LogNormal,
}

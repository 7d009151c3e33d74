namespace PaySim.Simulator.Calls;

/// <summary>What every node's <see cref="CallDoor"/> shares: the counters and the (swappable) fault hook.</summary>
internal sealed class CallPipeline(CallMetrics metrics, TimeProvider time)
{
    public CallMetrics Metrics { get; } = metrics;

    public TimeProvider Time { get; } = time;

    /// <summary>Swapped at run time by the fault engine; calls read it once at their start.</summary>
    public ICallFaultHook Faults { get; set; } = NoCallFaults.Instance;
}

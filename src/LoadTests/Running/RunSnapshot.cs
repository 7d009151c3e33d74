using PaySim.LoadTests.SimulatorControl;

namespace PaySim.LoadTests.Running;

/// <summary>What the runner reads just before and just after the load: the simulator's counters and invariants, the wallet's X-Served-By counts and this process's heap.</summary>
internal sealed record RunSnapshot(IReadOnlyList<NodeCounters> Stats, Invariants Invariants, IReadOnlyDictionary<string, long> ServedBy, long MemoryBytes);

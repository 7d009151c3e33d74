namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// Calls to one (node, method) so far. The n-th call draws for rule R with hash(seed, R, node,
/// method, n). It lives outside the index, so applying more rules does not shift the draws of
/// rules already applied.
/// </summary>
internal sealed class FaultSequence
{
    public long Value;
}

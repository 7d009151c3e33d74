using System.Runtime.CompilerServices;
using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// The rules that fired on one call, waiting to be counted: counters move only once maxActiveFaults
/// admits the decision. Lives on the stack beside the <see cref="FaultDecisionBuilder"/>.
/// </summary>
internal struct FaultFirings
{
    public const int Capacity = 8;

    public Slots Fired;
    public int Count;

    /// <summary>Rules and header overrides that fired.</summary>
    public int Injections;

    /// <summary>The kind of the first header-driven injection (for the per-node counters).</summary>
    public IFaultKind? HeaderKind;

    /// <summary>A rule fired: keep its slot for counting, or count it at once when more than <see cref="Capacity"/> fired.</summary>
    public void Add(FaultSlot slot, FaultCounters counters, in FaultRequest request)
    {
        if (Count < Capacity)
        {
            Fired[Count] = slot;
        }
        else
        {
            counters.Count(slot, in request);
        }

        Count++;
        Injections++;
    }

    /// <summary>A header override (x-sim-delay-ms, x-sim-status, an unknown x-sim-fault) fired.</summary>
    public void FromHeader(IFaultKind kind)
    {
        if (Injections == 0)
        {
            HeaderKind = kind;
        }

        Injections++;
    }

    [InlineArray(Capacity)]
    public struct Slots
    {
        private FaultSlot? _element;
    }
}

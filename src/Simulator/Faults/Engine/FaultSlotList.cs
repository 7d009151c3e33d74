namespace PaySim.Simulator.Faults.Engine;

/// <summary>The slots that apply to one (node, method), in rule order, and that pair's call sequence.</summary>
internal sealed class FaultSlotList
{
    public static readonly FaultSlotList Empty = new([], new FaultSequence());

    public FaultSlotList(FaultSlot[] slots, FaultSequence sequence, FaultSlotFilter? filter = null)
    {
        Slots = slots;
        Sequence = sequence;
        Filter = filter;
    }

    public readonly FaultSlot[] Slots;
    public readonly FaultSequence Sequence;

    /// <summary>Rejects the slots a call cannot match without visiting them; null = scan every slot.</summary>
    public readonly FaultSlotFilter? Filter;
}

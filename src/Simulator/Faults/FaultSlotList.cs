namespace PaySim.Simulator.Faults;

/// <summary>The slots that apply to one (node, method), in rule order, and that pair's call sequence.</summary>
internal sealed class FaultSlotList
{
    public static readonly FaultSlotList Empty = new([], new FaultSequence());

    public FaultSlotList(FaultSlot[] slots, FaultSequence sequence)
    {
        Slots = slots;
        Sequence = sequence;
    }

    public readonly FaultSlot[] Slots;
    public readonly FaultSequence Sequence;
}

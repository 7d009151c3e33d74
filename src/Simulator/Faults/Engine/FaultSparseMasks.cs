namespace PaySim.Simulator.Faults.Engine;

/// <summary>
/// Sets of slots stored as their non-zero words only (ascending word index, its bits), so a set
/// costs what it holds rather than the slot count: a thousand rules on a thousand distinct cards
/// take a thousand entries, not a thousand masks of every slot.
/// </summary>
internal sealed class FaultSparseMasks
{
    private readonly int[] _start;
    private readonly int[] _words;
    private readonly ulong[] _bits;

    /// <param name="sets">Each set's slot indices, ascending.</param>
    public FaultSparseMasks(IReadOnlyList<List<int>> sets)
    {
        _start = new int[sets.Count + 1];
        var words = new List<int>();
        var bits = new List<ulong>();
        for (var s = 0; s < sets.Count; s++)
        {
            _start[s] = words.Count;
            foreach (var slot in sets[s])
            {
                var w = slot >> 6;
                if (words.Count > _start[s] && words[^1] == w)
                {
                    bits[^1] |= 1UL << (slot & 63);
                }
                else
                {
                    words.Add(w);
                    bits.Add(1UL << (slot & 63));
                }
            }
        }

        _start[sets.Count] = words.Count;
        _words = [.. words];
        _bits = [.. bits];
    }

    public ReadOnlySpan<int> Words(int set) => _words.AsSpan(_start[set], _start[set + 1] - _start[set]);

    public ReadOnlySpan<ulong> Bits(int set) => _bits.AsSpan(_start[set], _start[set + 1] - _start[set]);
}

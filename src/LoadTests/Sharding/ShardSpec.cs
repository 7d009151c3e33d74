using System.Globalization;
using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Sharding;

/// <summary>
/// The i-th of n load agents (1-based, as <c>--shard i/n</c> and a Kubernetes Indexed Job's
/// completion index + 1). Every split is exact: the shares of n shards add up to the whole.
/// </summary>
internal sealed record ShardSpec(int Index, int Count)
{
    public static readonly ShardSpec Whole = new(1, 1);

    public bool IsSharded => Count > 1;

    /// <summary>Only shard 1 plays the fault timeline, so n agents do not post the same rule n times.</summary>
    public bool AppliesTimeline => Index == 1;

    /// <summary>Parses "i/n"; anything else is a <see cref="PlanException"/> naming --shard and the allowed form.</summary>
    public static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n >= 1 && n <= 1000 && i >= 1 && i <= n)
        {
            return new ShardSpec(i, n);
        }

        throw new PlanException($"--shard: \"{text}\" is not i/n with 1 <= i <= n <= 1000 (e.g. 1/2, 2/2).");
    }

    /// <summary>This shard's part of <paramref name="total"/>: the first total mod n shards take one more (5 over 2 = 3 + 2).</summary>
    public long Share(long total) => total / Count + (Index - 1 < total % Count ? 1 : 0);

    public int Share(int total) => (int)Share((long)total);

    /// <summary>Whether the item at absolute position <paramref name="position"/> of a data feed belongs to this shard.</summary>
    public bool Owns(long position) => position % Count == Index - 1;

    /// <summary>The items whose absolute position (<paramref name="offset"/> + list index) is ≡ Index-1 mod Count.</summary>
    public T[] Partition<T>(IReadOnlyList<T> items, long offset = 0)
    {
        var mine = new List<T>(items.Count / Count + 1);
        for (var k = 0; k < items.Count; k++)
        {
            if (Owns(offset + k))
            {
                mine.Add(items[k]);
            }
        }

        return mine.ToArray();
    }

    public override string ToString() => $"{Index}/{Count}";
}

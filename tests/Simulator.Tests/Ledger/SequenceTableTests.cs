using PaySim.Simulator.Ledger;

namespace PaySim.Simulator.Tests.Ledger;

public sealed class SequenceTableTests
{
    [Fact]
    public void Values_set_across_many_chunks_are_found_by_their_number_and_listed_in_order()
    {
        var table = new SequenceTable<string>();
        var numbers = new long[] { 1, 2, 4_096, 4_097, 100_000, 1_000_003 };
        foreach (var n in numbers.Reverse())
        {
            table.Set(n, "v" + n);
        }

        Assert.All(numbers, n => Assert.Equal("v" + n, table.Get(n)));
        Assert.Null(table.Get(3));
        Assert.Null(table.Get(5_000_000));
        Assert.Null(table.Get(0));
        Assert.Equal(numbers.Length, table.Count);
        Assert.Equal(numbers.Select(n => "v" + n), table.Values());
    }

    [Fact]
    public void Clear_forgets_every_number_below_the_next_one()
    {
        var table = new SequenceTable<string>();
        table.Set(1, "a");
        table.Set(7, "b");

        table.Clear(nextSequence: 8);
        table.Set(8, "c");

        Assert.Null(table.Get(1));
        Assert.Null(table.Get(7));
        Assert.Equal("c", table.Get(8));
        Assert.Equal(1, table.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => table.Set(7, "late"));
    }

    [Fact]
    public void Concurrent_writers_of_distinct_numbers_lose_none()
    {
        var table = new SequenceTable<object>();
        var next = 0L;

        Parallel.For(0, 50_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            var n = Interlocked.Increment(ref next);
            table.Set(n, n);
        });

        Assert.Equal(50_000, table.Count);
        Assert.Equal(50_000, table.Values().Count());
        Assert.All(Enumerable.Range(1, 50_000), n => Assert.Equal((long)n, table.Get(n)));
    }
}

using System.Runtime.CompilerServices;
using PaySim.Simulator.Ledger;

namespace PaySim.Simulator.Tests.Ledger;

public sealed class AuthorizationTableTests
{
    [Fact]
    public void Rows_added_across_many_chunks_are_found_by_their_number_and_listed_in_order_with_their_texts()
    {
        var table = new AuthorizationTable(firstSequence: 1);
        var numbers = new long[] { 1, 2, 1_024, 1_025, 4_097, 100_000, 1_000_003 };
        foreach (var n in numbers.Reverse())
        {
            table.Add(n, account: (int)(n % 7), Hold(n * 10, "m-" + n, "order-" + n, n % 2 == 0 ? "key-" + n : "", "tok-" + n, "issuer-" + (n % 3), createdUnixMs: n + 7));
        }

        foreach (var n in numbers)
        {
            ref var row = ref table.Find(n);
            Assert.False(Unsafe.IsNullRef(ref row), $"sequence {n}");
            Assert.Equal(n * 10, row.Amount);
            Assert.Equal((int)(n % 7), row.Account);
            Assert.Equal("m-" + n, table.MerchantId(row));
            Assert.Equal("order-" + n, table.OrderReference(row));
            Assert.Equal(n % 2 == 0 ? "key-" + n : "", table.IdempotencyKey(row));
            Assert.Equal("tok-" + n, table.CardToken(row));
            Assert.Equal("issuer-" + (n % 3), table.Node(row));
            Assert.Equal(n + 7, row.CreatedUnixMs);
        }

        Assert.True(Unsafe.IsNullRef(ref table.Find(3)));
        Assert.True(Unsafe.IsNullRef(ref table.Find(5_000_000)));
        Assert.True(Unsafe.IsNullRef(ref table.Find(0)));
        Assert.Equal(numbers.Length, Count(table));

        var listed = new List<(long, long)>();
        for (var rows = table.Rows(); rows.MoveNext();)
        {
            listed.Add((rows.Sequence, rows.Current.Amount));
        }

        Assert.Equal(numbers.Select(n => (n, n * 10)), listed);
    }

    [Fact]
    public void Changes_through_a_found_row_stay_in_the_table()
    {
        var table = new AuthorizationTable(firstSequence: 1);
        table.Add(1, 0, Hold(500, "m", "o", ""));

        ref var row = ref table.Find(1);
        row.Captured += 300;
        row.Refunded += 100;

        var rows = table.Rows();
        Assert.True(rows.MoveNext());
        Assert.Equal((500, 300, 100), (rows.Current.Amount, rows.Current.Captured, rows.Current.Refunded));
    }

    [Fact]
    public void Numbers_below_the_first_or_already_recorded_are_refused()
    {
        var table = new AuthorizationTable(firstSequence: 8);
        table.Add(8, 0, Hold(1, "", "", ""));

        Assert.Throws<ArgumentOutOfRangeException>(() => table.Add(7, 0, Hold(1, "", "", "")));
        Assert.Throws<InvalidOperationException>(() => table.Add(8, 0, Hold(1, "", "", "")));
        Assert.True(Unsafe.IsNullRef(ref table.Find(7)));
        Assert.Equal(1, Count(table));
    }

    [Fact]
    public void A_text_longer_than_a_text_chunk_is_kept_whole_and_later_texts_still_fit()
    {
        var table = new AuthorizationTable(firstSequence: 1);
        var longOrder = new string('x', 40_000) + "end";
        table.Add(1, 0, Hold(1, "m-1", "short", ""));
        table.Add(2, 0, Hold(1, "m-2", longOrder, "k-2"));
        table.Add(3, 0, Hold(1, "m-3", "after", ""));

        Assert.Equal("short", table.OrderReference(table.Find(1)));
        Assert.Equal(longOrder, table.OrderReference(table.Find(2)));
        Assert.Equal("k-2", table.IdempotencyKey(table.Find(2)));
        Assert.Equal("m-3", table.MerchantId(table.Find(3)));
    }

    [Fact]
    public void Concurrent_writers_of_distinct_numbers_lose_no_row_and_mix_no_texts()
    {
        var table = new AuthorizationTable(firstSequence: 1);
        var next = 0L;

        // Texts of varying length fill many text chunks, so writers race for space and for new chunks.
        Parallel.For(0, 60_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            var n = Interlocked.Increment(ref next);
            table.Add(n, (int)(n % 3), Hold(n, "m" + n, "order-" + new string('o', (int)(n % 50)) + n, "k" + n, "tok" + n));
        });

        Assert.Equal(60_000, Count(table));
        for (long n = 1; n <= 60_000; n++)
        {
            ref var row = ref table.Find(n);
            Assert.Equal(n, row.Amount);
            Assert.Equal((int)(n % 3), row.Account);
            Assert.Equal("m" + n, table.MerchantId(row));
            Assert.Equal("order-" + new string('o', (int)(n % 50)) + n, table.OrderReference(row));
            Assert.Equal("k" + n, table.IdempotencyKey(row));
            Assert.Equal("tok" + n, table.CardToken(row));
        }
    }

    private static HoldRequest Hold(long amount, string merchant, string order, string key, string token = "", string node = "", long createdUnixMs = 0) =>
        new("6200000000000001", amount, long.MaxValue, merchant, order, key, default, token, node, createdUnixMs);

    private static long Count(AuthorizationTable table)
    {
        long count = 0;
        for (var rows = table.Rows(); rows.MoveNext();)
        {
            count++;
        }

        return count;
    }
}

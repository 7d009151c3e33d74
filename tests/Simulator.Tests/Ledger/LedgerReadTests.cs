using System.Diagnostics;
using PaySim.Simulator.Ledger;

namespace PaySim.Simulator.Tests.Ledger;

/// <summary>The in-memory ledger read (GET /v1/ledger): pages by sequence, cursors across resets, rows as they stand.</summary>
public sealed class LedgerReadTests
{
    private const string A = "6200000000000001";
    private const string B = "6200000000000002";
    private static readonly DateOnly Today = new(2026, 11, 23);

    [Fact]
    public void Pages_return_every_authorization_once_in_order_with_its_card_texts_node_and_time()
    {
        var ledger = Ledger();
        for (var i = 1; i <= 5; i++)
        {
            ledger.Hold(new HoldRequest(i % 2 == 0 ? B : A, i * 100, long.MaxValue, "m-" + i, "o-" + i, "k-" + i, Today, "tok-" + i, "issuer-" + i % 2, 1_000 + i));
        }

        var first = ledger.ReadPage(null, 2);
        var second = ledger.ReadPage(first.Next, 2);
        var third = ledger.ReadPage(second.Next, 2);
        var after = ledger.ReadPage(third.Next, 2);

        Assert.Equal((2, true, 2, true, 1, false, 0, false),
            (first.Rows.Count, first.More, second.Rows.Count, second.More, third.Rows.Count, third.More, after.Rows.Count, after.More));
        Assert.Equal(third.Next, after.Next);
        var rows = first.Rows.Concat(second.Rows).Concat(third.Rows).ToList();
        Assert.Equal([1L, 2, 3, 4, 5], rows.Select(r => r.Sequence));
        var fourth = rows[3];
        Assert.Equal(
            new LedgerRow(4, "auth_0000000004", B, "tok-4", "m-4", "o-4", "k-4", 400, 0, 0, 0, "issuer-0", 1_004),
            fourth);
        Assert.Equal(LedgerStates.Held, fourth.State);
    }

    [Fact]
    public void Each_row_says_what_became_of_its_hold()
    {
        var ledger = Ledger();
        var ids = Enumerable.Range(0, 6).Select(_ => ledger.Hold(new HoldRequest(A, 1_000, long.MaxValue, "m", "", "", Today)).AuthorizationId!).ToArray();
        ledger.Capture(ids[1], 0);
        ledger.Void(ids[2]);
        ledger.Capture(ids[3], 0);
        ledger.Refund(ids[3], 0);
        ledger.Capture(ids[4], 0);
        ledger.Refund(ids[4], 400);
        ledger.Capture(ids[5], 600);

        var rows = ledger.ReadPage(null, 10).Rows;

        Assert.Equal(
            [LedgerStates.Held, LedgerStates.Captured, LedgerStates.Released, LedgerStates.Refunded, LedgerStates.PartiallyRefunded, LedgerStates.Captured],
            rows.Select(r => r.State));
        Assert.Equal(
            [(0L, 0L, 0L), (1_000L, 0L, 0L), (0L, 1_000L, 0L), (1_000L, 0L, 1_000L), (1_000L, 0L, 400L), (600L, 0L, 0L)],
            rows.Select(r => (r.CapturedMinor, r.ReleasedMinor, r.RefundedMinor)));
    }

    [Fact]
    public void Limit_zero_gives_the_head_so_a_later_read_sees_only_the_holds_made_after_it()
    {
        var ledger = Ledger();
        Hold(ledger, A, 3);
        var head = ledger.ReadPage(null, 0);
        Hold(ledger, B, 2);

        var window = ledger.ReadPage(head.Next, 100);

        Assert.Empty(head.Rows);
        Assert.False(head.More);
        Assert.Equal([4L, 5], window.Rows.Select(r => r.Sequence));
        Assert.All(window.Rows, r => Assert.Equal(B, r.Pan));
    }

    [Fact]
    public void A_cursor_from_before_a_reset_is_refused_as_stale_and_an_empty_since_reads_the_new_rows()
    {
        var ledger = Ledger();
        Hold(ledger, A, 3);
        var cursor = ledger.ReadPage(null, 2).Next;
        var emptyCursor = ledger.ReadPage(null, 0).Next;

        ledger.Reset();
        Hold(ledger, B, 1);

        var stale = Assert.Throws<LedgerCursorException>(() => ledger.ReadPage(cursor, 10));
        Assert.True(stale.Stale);
        Assert.StartsWith("since: ", stale.Message, StringComparison.Ordinal);
        Assert.Contains("before the ledger was reset", stale.Message, StringComparison.Ordinal);
        Assert.True(Assert.Throws<LedgerCursorException>(() => ledger.ReadPage(emptyCursor, 10)).Stale);
        var fresh = ledger.ReadPage(null, 10).Rows;
        Assert.Equal([(4L, B)], fresh.Select(r => (r.Sequence, r.Pan)));
    }

    [Fact]
    public void A_cursor_past_the_head_is_refused_as_outside_the_ledger()
    {
        var ledger = Ledger();
        Hold(ledger, A, 2);
        var epoch = ledger.ReadPage(null, 0).Next.Epoch;

        var outside = Assert.Throws<LedgerCursorException>(() => ledger.ReadPage(new LedgerCursor(epoch, 99), 10));

        Assert.False(outside.Stale);
        Assert.Contains("points outside this ledger", outside.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("-1.5")]
    [InlineData("1.-5")]
    [InlineData("1.5.6")]
    [InlineData("a.b")]
    [InlineData(" 1.5")]
    public void Texts_that_are_not_a_cursor_do_not_parse(string text) =>
        Assert.False(LedgerCursor.TryParse(text, out _));

    [Fact]
    public void A_cursor_round_trips_through_its_text() =>
        Assert.Equal((true, new LedgerCursor(3, 1_000_000)), (LedgerCursor.TryParse(new LedgerCursor(3, 1_000_000).ToString(), out var c), c));

    [Fact]
    public async Task Reading_while_eight_threads_hold_never_skips_or_repeats_a_row()
    {
        var ledger = Ledger();
        const int Holds = 80_000;
        var seen = new List<long>(Holds);
        var writers = Task.Run(() => Parallel.For(0, Holds, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            ledger.Hold(new HoldRequest(i % 2 == 0 ? A : B, 1 + (i % 7), long.MaxValue, "m", "", "", Today))));

        LedgerCursor? cursor = null;
        var watch = Stopwatch.StartNew();
        while (seen.Count < Holds && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            var page = ledger.ReadPage(cursor, 997);
            seen.AddRange(page.Rows.Select(r => r.Sequence));
            cursor = page.Next;
        }

        await writers;
        Assert.Equal(Enumerable.Range(1, Holds).Select(i => (long)i), seen);
    }

    [Fact]
    public void One_million_holds_are_paged_with_limit_10000_every_row_once_in_order_with_its_amounts()
    {
        const int Holds = 1_000_000;
        var ledger = Ledger();
        for (var i = 1; i <= Holds; i++)
        {
            var hold = ledger.Hold(new HoldRequest(i % 2 == 0 ? B : A, 1 + (i % 1_000), long.MaxValue, "m", "o", "", Today));
            if (i % 10 == 0)
            {
                ledger.Capture(hold.AuthorizationId!, 1);
            }
        }

        var watch = Stopwatch.StartNew();
        LedgerCursor? cursor = null;
        long expected = 0, pages = 0;
        while (true)
        {
            var page = ledger.ReadPage(cursor, 10_000);
            pages++;
            foreach (var row in page.Rows)
            {
                expected++;
                if (row.Sequence != expected || row.AuthorizedMinor != 1 + (expected % 1_000)
                    || row.CapturedMinor != (expected % 10 == 0 ? 1 : 0) || row.Pan != (expected % 2 == 0 ? B : A))
                {
                    Assert.Fail($"row {expected}: got {row}");
                }
            }

            cursor = page.Next;
            if (!page.More)
            {
                break;
            }
        }

        Assert.Equal(Holds, expected);
        Assert.Equal(100, pages);
        // An order of magnitude, not a timing: a full scan per page would take minutes here.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"paging took {watch.Elapsed}");
    }

    private static InMemoryLedger Ledger() =>
        new([KeyValuePair.Create(A, long.MaxValue / 4), KeyValuePair.Create(B, long.MaxValue / 4)]);

    private static void Hold(InMemoryLedger ledger, string pan, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(LedgerOutcome.Approved, ledger.Hold(new HoldRequest(pan, 100, long.MaxValue, "m", "", "", Today)).Outcome);
        }
    }
}

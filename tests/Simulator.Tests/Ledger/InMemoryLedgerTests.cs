using PaySim.Simulator.Ledger;

namespace PaySim.Simulator.Tests.Ledger;

public sealed class InMemoryLedgerTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    [Fact]
    public void A_hold_returns_an_auth_id_that_capture_and_refund_find()
    {
        var ledger = Ledger(("6200000000000001", 10_000));
        var hold = ledger.Hold(Hold("6200000000000001", 2_500));

        Assert.Equal(LedgerOutcome.Approved, hold.Outcome);
        Assert.Matches("^auth_[0-9a-f]{10}$", hold.AuthorizationId);
        Assert.Equal(7_500, hold.AvailableMinor);
        Assert.Equal(new CaptureResult(LedgerOutcome.Approved, 2_500, "6200000000000001"), ledger.Capture(hold.AuthorizationId!, 0));
        var refund = ledger.Refund(hold.AuthorizationId!, 1_000);
        Assert.Equal(LedgerOutcome.Approved, refund.Outcome);
        Assert.Equal(1_000, refund.RefundedMinor);
        Assert.Matches("^rfd_[0-9a-f]{10}$", refund.RefundId);
        Assert.Equal(8_500, ledger.AvailableMinor("6200000000000001"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("auth_")]
    [InlineData("auth_000000000")]
    [InlineData("auth_zzzzzzzzzz")]
    [InlineData("nope")]
    public void Ids_the_ledger_never_issued_are_unknown(string id)
    {
        var ledger = Ledger(("6200000000000001", 10_000));
        ledger.Hold(Hold("6200000000000001", 100));

        Assert.Equal(LedgerOutcome.UnknownAuthorization, ledger.Capture(id, 0).Outcome);
        Assert.Equal(LedgerOutcome.UnknownAuthorization, ledger.Refund(id, 0).Outcome);
    }

    [Fact]
    public void Another_spelling_of_an_issued_id_is_a_different_unknown_id()
    {
        var ledger = Ledger(("6200000000000001", 10_000));
        var id = "";
        for (var i = 0; i < 10; i++)
        {
            id = ledger.Hold(Hold("6200000000000001", 100)).AuthorizationId!;
        }

        Assert.Equal("auth_000000000a", id);

        Assert.Equal(LedgerOutcome.UnknownAuthorization, ledger.Capture("auth_000000000A", 0).Outcome);
        Assert.Equal(LedgerOutcome.UnknownAuthorization, ledger.Capture("AUTH_000000000a", 0).Outcome);
        Assert.Equal(LedgerOutcome.UnknownAuthorization, ledger.Capture("auth_0000000000a", 0).Outcome);
        Assert.Equal(LedgerOutcome.UnknownAuthorization, ledger.Capture(" auth_000000000a", 0).Outcome);
        Assert.Equal(LedgerOutcome.Approved, ledger.Capture(id, 0).Outcome);
    }

    [Fact]
    public void Refund_ids_have_numbers_of_their_own_so_authorization_numbers_stay_dense_for_the_ledger_read()
    {
        var ledger = Ledger(("6200000000000001", 10_000));
        var hold = ledger.Hold(Hold("6200000000000001", 100));
        ledger.Capture(hold.AuthorizationId!, 0);
        var refundId = ledger.Refund(hold.AuthorizationId!, 50).RefundId!;
        var next = ledger.Hold(Hold("6200000000000001", 100)).AuthorizationId;

        Assert.Equal(("auth_0000000001", "rfd_0000000001", "auth_0000000002"), (hold.AuthorizationId, refundId, next));
        Assert.Equal(LedgerOutcome.UnknownAuthorization, ledger.Capture(refundId, 0).Outcome);
    }

    [Fact]
    public void After_a_reset_old_ids_are_unknown_and_new_ids_never_repeat_them()
    {
        var ledger = Ledger(("6200000000000001", 10_000));
        var before = Enumerable.Range(0, 5).Select(_ => ledger.Hold(Hold("6200000000000001", 100)).AuthorizationId!).ToList();
        Assert.Equal(5, before.Distinct(StringComparer.Ordinal).Count());

        ledger.Reset();
        var after = ledger.Hold(Hold("6200000000000001", 100)).AuthorizationId!;

        Assert.All(before, id => Assert.Equal(LedgerOutcome.UnknownAuthorization, ledger.Capture(id, 0).Outcome));
        Assert.DoesNotContain(after, before);
        Assert.Equal(LedgerOutcome.Approved, ledger.Capture(after, 0).Outcome);
        Assert.Equal(1, ledger.Invariants().Authorizations);
        Assert.Equal(9_900, ledger.AvailableMinor("6200000000000001"));
    }

    [Fact]
    public void Ten_thousand_holds_across_table_chunks_are_all_found_and_money_is_conserved()
    {
        var ledger = Ledger(("6200000000000001", 1_000_000), ("6200000000000002", 1_000_000));
        var ids = Enumerable.Range(0, 10_000)
            .Select(i => ledger.Hold(Hold(i % 2 == 0 ? "6200000000000001" : "6200000000000002", 10)).AuthorizationId!)
            .ToList();

        Assert.Equal(10_000, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Equal(LedgerOutcome.Approved, ledger.Capture(id, 0).Outcome));
        var invariants = ledger.Invariants();
        Assert.Equal(10_000, invariants.Authorizations);
        Assert.Equal(100_000, invariants.CapturedMinor);
        Assert.Equal(0, invariants.HeldMinor);
        Assert.Equal(1_900_000, invariants.BalancesMinor);
        Assert.True(invariants.MoneyConserved);
        Assert.Empty(invariants.Violations);
    }

    [Fact]
    public void Concurrent_holds_on_one_card_never_overdraw_and_every_approved_hold_is_recorded()
    {
        var ledger = Ledger(("6200000000000001", 50_000));
        var approved = new System.Collections.Concurrent.ConcurrentBag<string>();
        var declined = 0;

        Parallel.For(0, 8_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            var hold = ledger.Hold(Hold("6200000000000001", 10));
            if (hold.Outcome == LedgerOutcome.Approved)
            {
                approved.Add(hold.AuthorizationId!);
            }
            else
            {
                Assert.Equal(LedgerOutcome.InsufficientFunds, hold.Outcome);
                Interlocked.Increment(ref declined);
            }
        });

        Assert.Equal(5_000, approved.Count);
        Assert.Equal(3_000, declined);
        Assert.Equal(5_000, approved.Distinct(StringComparer.Ordinal).Count());
        var invariants = ledger.Invariants();
        Assert.Equal(5_000, invariants.Authorizations);
        Assert.Equal(50_000, invariants.HeldMinor);
        Assert.Equal(0, ledger.AvailableMinor("6200000000000001"));
        Assert.True(invariants.MoneyConserved);
    }

    [Fact]
    public async Task Invariants_taken_while_money_moves_on_several_cards_always_balance()
    {
        var pans = new[] { "6200000000000001", "6200000000000002", "6200000000000003" };
        var ledger = Ledger(pans.Select(p => (p, 1_000_000L)).ToArray());
        using var stop = new CancellationTokenSource();
        var snapshots = 0;
        // Its own thread, running before the load starts: on a busy machine a pooled task could start
        // only after the holds were done, and then check nothing while money moves.
        var checker = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var invariants = ledger.Invariants();
                Assert.True(invariants.MoneyConserved, $"balances {invariants.BalancesMinor} held {invariants.HeldMinor} captured {invariants.CapturedMinor} refunded {invariants.RefundedMinor}");
                Assert.Empty(invariants.Violations);
                Interlocked.Increment(ref snapshots);
            }
        }, TaskCreationOptions.LongRunning);
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref snapshots) > 0 || checker.IsCompleted, TimeSpan.FromSeconds(10)), "the checker never took a snapshot");
        var before = Volatile.Read(ref snapshots);

        Parallel.For(0, 30_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var hold = ledger.Hold(Hold(pans[i % pans.Length], 10));
            if (hold.Outcome == LedgerOutcome.Approved && i % 2 == 0)
            {
                ledger.Capture(hold.AuthorizationId!, 0);
                if (i % 4 == 0)
                {
                    ledger.Refund(hold.AuthorizationId!, 5);
                }
            }
        });
        await stop.CancelAsync();
        await checker;

        Assert.True(snapshots > before, "no snapshot was taken while money moved");
        var final = ledger.Invariants();
        Assert.Equal(30_000, final.Authorizations);
        Assert.Equal(15_000 * 10, final.CapturedMinor);
        Assert.Equal(7_500 * 5, final.RefundedMinor);
        Assert.True(final.MoneyConserved);
    }

    [Fact]
    public void Resets_racing_with_holds_leave_no_hold_of_a_replaced_account_behind()
    {
        var ledger = Ledger(("6200000000000001", 1_000_000));

        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            if (i % 1_000 == 0)
            {
                ledger.Reset();
            }
            else
            {
                ledger.Hold(Hold("6200000000000001", 1));
            }
        });

        var invariants = ledger.Invariants();
        Assert.True(invariants.MoneyConserved, $"balances {invariants.BalancesMinor} held {invariants.HeldMinor}");
        Assert.Equal(invariants.HeldMinor, invariants.Authorizations);
        Assert.Equal(1_000_000 - invariants.HeldMinor, ledger.AvailableMinor("6200000000000001"));
    }

    [Fact]
    public void Only_cards_that_moved_money_have_an_account_and_an_untouched_card_holds_its_opening_balance()
    {
        var asked = new List<string>();
        var ledger = new InMemoryLedger(pan =>
        {
            asked.Add(pan);
            return pan.StartsWith("62", StringComparison.Ordinal) ? 10_000 + long.Parse(pan[^4..], System.Globalization.CultureInfo.InvariantCulture) : null;
        });

        // Reading a balance opens nothing: the opening balance is the answer.
        Assert.Equal(10_007, ledger.AvailableMinor("6200000000000007"));
        Assert.Equal(0, ledger.Invariants().InitialTotalMinor);
        Assert.Equal(LedgerOutcome.UnknownAccount, ledger.Hold(Hold("4000000000000002", 1)).Outcome);

        var hold = ledger.Hold(Hold("6200000000000001", 2_000));
        Assert.Equal(new HoldResult(LedgerOutcome.Approved, hold.AuthorizationId, 8_001), hold);
        Assert.Equal(LedgerOutcome.Approved, ledger.Hold(Hold("6200000000000001", 1)).Outcome);
        Assert.Equal(LedgerOutcome.Approved, ledger.Capture(hold.AuthorizationId!, 500).Outcome);
        Assert.Equal(LedgerOutcome.Approved, ledger.Hold(Hold("6200000000000002", 3)).Outcome);

        // Each card is opened once; the totals are over the two opened accounts.
        var invariants = ledger.Invariants();
        Assert.True(invariants.MoneyConserved, string.Join("; ", invariants.Violations));
        Assert.Equal(10_001 + 10_002, invariants.InitialTotalMinor);
        Assert.Equal(10_001 - 2_001 + 10_002 - 3, invariants.BalancesMinor);
        Assert.Equal(2_001 - 500 + 3, invariants.HeldMinor);
        Assert.Equal(500, invariants.CapturedMinor);
        Assert.Equal(1, asked.Count(p => p == "6200000000000001"));

        // A reset closes every account: the cards are back at their opening balances, with nothing open.
        ledger.Reset();
        Assert.Equal(10_001, ledger.AvailableMinor("6200000000000001"));
        Assert.Equal(0, ledger.Invariants().InitialTotalMinor);
        Assert.Equal(8_001, ledger.Hold(Hold("6200000000000001", 2_000)).AvailableMinor);
    }

    private static InMemoryLedger Ledger(params (string Pan, long Balance)[] accounts) =>
        new(accounts.Select(a => KeyValuePair.Create(a.Pan, a.Balance)));

    private static HoldRequest Hold(string pan, long amount) =>
        new(pan, amount, long.MaxValue, "m-1", "", "", Today);
}

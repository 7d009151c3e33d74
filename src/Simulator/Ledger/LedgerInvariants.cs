namespace PaySim.Simulator.Ledger;

/// <summary>What the ledger says about double charges and conservation of money at one instant.</summary>
internal sealed record LedgerInvariants
{
    public long DuplicateCharges { get; init; }
    public bool MoneyConserved { get; init; }
    public long InitialTotalMinor { get; init; }
    public long BalancesMinor { get; init; }
    public long HeldMinor { get; init; }
    public long CapturedMinor { get; init; }
    public long ReleasedMinor { get; init; }
    public long RefundedMinor { get; init; }
    public IReadOnlyList<string> Violations { get; init; } = [];
    public long Authorizations { get; init; }

    /// <summary>
    /// The one verdict every ledger store gives: each (card, idempotency key) or (card, merchant, order) that
    /// moved money more than once counts its extra charges, and money must be conserved: nothing appears or
    /// vanishes across balances, holds, captures and refunds, and what the accounts hold is what the
    /// authorizations have left after captures and releases.
    /// <paramref name="violations"/> may already hold store-specific findings; more are added.
    /// </summary>
    public static LedgerInvariants Judge(
        IReadOnlyDictionary<(string Pan, string Key), int> chargesByKey,
        IReadOnlyDictionary<(string Pan, string Merchant, string Order), int> chargesByOrder,
        LedgerTotals totals,
        List<string> violations)
    {
        long duplicates = 0;
        foreach (var ((pan, key), n) in chargesByKey)
        {
            if (n > 1)
            {
                duplicates += n - 1;
                violations.Add($"card {Mask(pan)}: idempotency key '{key}' moved money {n} times");
            }
        }

        foreach (var ((pan, merchant, order), n) in chargesByOrder)
        {
            if (n > 1)
            {
                duplicates += n - 1;
                violations.Add($"card {Mask(pan)}: merchant '{merchant}' order '{order}' was charged {n} times");
            }
        }

        var t = totals;
        var balanced = t.BalancesMinor + t.HeldMinor + t.CapturedMinor - t.RefundedMinor == t.InitialMinor;
        if (!balanced)
        {
            violations.Add($"money not conserved: balances {t.BalancesMinor} + held {t.HeldMinor} + captured {t.CapturedMinor} - refunded {t.RefundedMinor} != initial {t.InitialMinor}");
        }

        var holdsAgree = t.HeldMinor == t.OpenHoldsMinor;
        if (!holdsAgree)
        {
            violations.Add($"money not conserved: accounts hold {t.HeldMinor} but authorizations less captures and releases leave {t.OpenHoldsMinor}");
        }

        return new LedgerInvariants
        {
            DuplicateCharges = duplicates,
            MoneyConserved = balanced && holdsAgree,
            InitialTotalMinor = t.InitialMinor,
            BalancesMinor = t.BalancesMinor,
            HeldMinor = t.HeldMinor,
            CapturedMinor = t.CapturedMinor,
            ReleasedMinor = t.ReleasedMinor,
            RefundedMinor = t.RefundedMinor,
            Violations = violations,
            Authorizations = t.Authorizations,
        };
    }

    /// <summary>A charge given back in full (released, or captured and refunded) is not a double charge any more.</summary>
    public static bool IsReversed(long amount, long captured, long released, long refunded) =>
        released >= amount || (captured > 0 && refunded >= amount);

    public static string BadAuthorization(string id, long amount, long captured, long released, long refunded) =>
        $"{id}: authorized {amount}, captured {captured}, released {released}, refunded {refunded}";

    public static string Mask(string pan) => pan.Length > 4 ? "****" + pan[^4..] : pan;
}

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
    public long RefundedMinor { get; init; }
    public IReadOnlyList<string> Violations { get; init; } = [];
    public long Authorizations { get; init; }

    /// <summary>
    /// The one verdict every ledger store gives: each idempotency key or (merchant, order) that
    /// moved money more than once counts its extra charges, and money must be conserved.
    /// <paramref name="violations"/> may already hold store-specific findings; more are added.
    /// </summary>
    public static LedgerInvariants Judge(
        IReadOnlyDictionary<string, int> chargesByKey,
        IReadOnlyDictionary<(string Merchant, string Order), int> chargesByOrder,
        long initial, long balances, long held, long captured, long refunded,
        long authorizations, List<string> violations)
    {
        long duplicates = 0;
        foreach (var (key, n) in chargesByKey)
        {
            if (n > 1)
            {
                duplicates += n - 1;
                violations.Add($"idempotency key '{key}' moved money {n} times");
            }
        }

        foreach (var ((merchant, order), n) in chargesByOrder)
        {
            if (n > 1)
            {
                duplicates += n - 1;
                violations.Add($"merchant '{merchant}' order '{order}' was charged {n} times");
            }
        }

        var conserved = balances + held + captured - refunded == initial;
        if (!conserved)
        {
            violations.Add($"money not conserved: balances {balances} + held {held} + captured {captured} - refunded {refunded} != initial {initial}");
        }

        return new LedgerInvariants
        {
            DuplicateCharges = duplicates,
            MoneyConserved = conserved,
            InitialTotalMinor = initial,
            BalancesMinor = balances,
            HeldMinor = held,
            CapturedMinor = captured,
            RefundedMinor = refunded,
            Violations = violations,
            Authorizations = authorizations,
        };
    }
}

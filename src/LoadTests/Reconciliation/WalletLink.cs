using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Reconciliation;

/// <summary>Finds the wallet's records of each app payment in the user's history: by payment id, else order reference, else key.</summary>
internal static class WalletLink
{
    /// <summary>The one record that answers for each payment: the one whose id the app was given, else the first by order reference, else by key.</summary>
    public static IReadOnlyDictionary<LogicalPayment, WalletTransaction?> Link(IReadOnlyList<LogicalPayment> payments, IReadOnlyDictionary<string, IReadOnlyList<WalletTransaction>> wallet)
    {
        var links = new Dictionary<LogicalPayment, WalletTransaction?>();
        foreach (var p in payments)
        {
            var own = Payments(p, wallet);
            links[p] = (p.PaymentId is { } id ? own.FirstOrDefault(t => t.Id == id) : null)
                ?? own.FirstOrDefault(t => SameOrder(t, p))
                ?? own.FirstOrDefault(t => t.IdempotencyKey is { Length: > 0 } k && k == p.First.IdempotencyKey);
        }

        return links;
    }

    /// <summary>
    /// Every payment record the wallet made for each app payment: each whose id the app was given, and every one with
    /// its order reference or its Idempotency-Key (alone, or with a suffix after a separator, "KEY#…"). A wallet that
    /// honours the key has one; one that ignores it has one per attempt that reached it.
    /// </summary>
    public static IReadOnlyDictionary<LogicalPayment, IReadOnlyList<WalletTransaction>> LinkAll(IReadOnlyList<LogicalPayment> payments, IReadOnlyDictionary<string, IReadOnlyList<WalletTransaction>> wallet)
    {
        var links = new Dictionary<LogicalPayment, IReadOnlyList<WalletTransaction>>();
        foreach (var p in payments)
        {
            links[p] = Payments(p, wallet)
                .Where(t => p.PaymentIds.Contains(t.Id, StringComparer.Ordinal) || SameOrder(t, p)
                    || (t.IdempotencyKey is { Length: > 0 } k && LedgerMatcher.KeyMatches(k, p.First.IdempotencyKey)))
                .DistinctBy(t => t.Id)
                .ToArray();
        }

        return links;
    }

    /// <summary>Refunds the wallet reports made, summed per (user, payment id).</summary>
    public static IReadOnlyDictionary<(string User, string PaymentId), long> RefundedByPayment(IReadOnlyDictionary<string, IReadOnlyList<WalletTransaction>> wallet) =>
        wallet.SelectMany(h => h.Value.Where(t => t.Kind == "refund" && t.PaymentId is not null && WalletStatuses.Done(t.Status)).Select(t => (Key: (h.Key, t.PaymentId!), t.AmountMinor)))
            .GroupBy(x => x.Key)
            .ToDictionary(g => g.Key, g => g.Sum(x => x.AmountMinor));

    private static WalletTransaction[] Payments(LogicalPayment p, IReadOnlyDictionary<string, IReadOnlyList<WalletTransaction>> wallet) =>
        (wallet.GetValueOrDefault(p.First.UserId) ?? []).Where(t => t.Kind == "payment").ToArray();

    private static bool SameOrder(WalletTransaction t, LogicalPayment p) => t.OrderReference is { Length: > 0 } r && r == p.First.OrderReference;
}

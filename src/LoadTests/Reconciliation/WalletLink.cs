using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Reconciliation;

/// <summary>Finds the wallet's record of each app payment in the user's history: by payment id, else order reference, else key.</summary>
internal static class WalletLink
{
    public static IReadOnlyDictionary<LogicalPayment, WalletTransaction?> Link(IReadOnlyList<LogicalPayment> payments, IReadOnlyDictionary<string, IReadOnlyList<WalletTransaction>> wallet)
    {
        var links = new Dictionary<LogicalPayment, WalletTransaction?>();
        foreach (var p in payments)
        {
            var history = wallet.GetValueOrDefault(p.First.UserId) ?? [];
            var own = history.Where(t => t.Kind == "payment").ToArray();
            links[p] = (p.PaymentId is { } id ? own.FirstOrDefault(t => t.Id == id) : null)
                ?? own.FirstOrDefault(t => t.OrderReference is { Length: > 0 } r && r == p.First.OrderReference)
                ?? own.FirstOrDefault(t => t.IdempotencyKey is { Length: > 0 } k && k == p.First.IdempotencyKey);
        }

        return links;
    }

    /// <summary>Refunds the wallet reports made, summed per (user, payment id).</summary>
    public static IReadOnlyDictionary<(string User, string PaymentId), long> RefundedByPayment(IReadOnlyDictionary<string, IReadOnlyList<WalletTransaction>> wallet) =>
        wallet.SelectMany(h => h.Value.Where(t => t.Kind == "refund" && t.PaymentId is not null && WalletStatuses.Done(t.Status)).Select(t => (Key: (h.Key, t.PaymentId!), t.AmountMinor)))
            .GroupBy(x => x.Key)
            .ToDictionary(g => g.Key, g => g.Sum(x => x.AmountMinor));
}

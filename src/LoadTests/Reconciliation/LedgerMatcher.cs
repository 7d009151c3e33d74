using PaySim.Contracts.Control.V1;

namespace PaySim.LoadTests.Reconciliation;

/// <summary>
/// Joins the issuer's rows to the app's payments on the same card (PAN): by order reference when the wallet
/// forwarded it, else by the issuer key when it carries the app's key, else by amount, so a wallet that sends no
/// order reference and fresh issuer keys is still caught charging twice. Among candidates it prefers the same
/// amount, a payment with no row yet, the app's success, and the payment made nearest in time.
/// </summary>
internal static class LedgerMatcher
{
    /// <summary>Adds each row to its payment's <see cref="LogicalPayment.Entries"/>; returns the rows no app payment on the card explains.</summary>
    public static IReadOnlyList<LedgerEntry> Match(IEnumerable<LedgerEntry> rows, IReadOnlyList<LogicalPayment> payments)
    {
        var byCard = payments.GroupBy(p => p.Pan, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        var unmatched = new List<LedgerEntry>();
        foreach (var row in rows.OrderBy(r => r.Sequence))
        {
            var owner = byCard.TryGetValue(row.Pan, out var onCard) ? Best(row, Candidates(row, onCard)) : null;
            if (owner is null)
            {
                unmatched.Add(row);
            }
            else
            {
                owner.Entries.Add(row);
            }
        }

        return unmatched;
    }

    private static IReadOnlyList<LogicalPayment> Candidates(LedgerEntry row, IReadOnlyList<LogicalPayment> onCard)
    {
        var byReference = row.OrderReference.Length == 0 ? [] : onCard.Where(p => p.First.OrderReference == row.OrderReference).ToArray();
        if (byReference.Length > 0)
        {
            return byReference;
        }

        var byKey = onCard.Where(p => KeyMatches(row.IdempotencyKey, p.First.IdempotencyKey)).ToArray();
        return byKey.Length > 0 ? byKey : onCard.Where(p => p.AmountMinor == row.AuthorizedMinor).ToArray();
    }

    private static LogicalPayment? Best(LedgerEntry row, IReadOnlyList<LogicalPayment> candidates) =>
        candidates.OrderBy(p => p.AmountMinor == row.AuthorizedMinor ? 0 : 1)
            .ThenBy(p => p.Entries.Count > 0 ? 1 : 0)
            .ThenBy(p => p.OutcomeRank)
            .ThenBy(p => Math.Abs(row.CreatedUnixMs - p.First.StartedUnixMs))
            .FirstOrDefault();

    /// <summary>The issuer key is the app's key, or the app's key with a suffix after a separator ("KEY:auth").</summary>
    public static bool KeyMatches(string issuerKey, string appKey) =>
        appKey.Length > 0 && issuerKey.StartsWith(appKey, StringComparison.Ordinal)
        && (issuerKey.Length == appKey.Length || !char.IsLetterOrDigit(issuerKey[appKey.Length]));
}

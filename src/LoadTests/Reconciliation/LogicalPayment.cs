using PaySim.Contracts.Control.V1;

namespace PaySim.LoadTests.Reconciliation;

/// <summary>
/// One payment as the app meant it: every attempt under one user's Idempotency-Key, with the app's final word
/// (a 2xx in any attempt is a success; else a 4xx is a no; else the app never learned) and the issuer rows
/// the reconciliation joins to it.
/// </summary>
internal sealed class LogicalPayment
{
    private LogicalPayment(IReadOnlyList<AppCall> attempts)
    {
        Attempts = attempts;
        First = attempts.MinBy(a => a.StartedUnixMs)!;
        // A double tap's 409 payment_in_progress says only that the other tap is being processed: not the app's last word.
        Last = attempts.Where(a => !(a.DoubleTap && a.Outcome == CallOutcome.InProgress)).MaxBy(a => a.EndedUnixMs) ?? attempts.MaxBy(a => a.EndedUnixMs)!;
        Outcome = attempts.Any(a => a.Outcome == CallOutcome.Succeeded) ? CallOutcome.Succeeded
            : attempts.Any(a => a.Outcome == CallOutcome.Rejected) ? CallOutcome.Rejected
            : Last.Outcome;
        PaymentIds = attempts.Where(a => a.Outcome == CallOutcome.Succeeded && a.PaymentId is not null).Select(a => a.PaymentId!).Distinct(StringComparer.Ordinal).ToArray();
        PaymentId = PaymentIds.Count > 0 ? PaymentIds[0] : null;
    }

    public IReadOnlyList<AppCall> Attempts { get; }

    public AppCall First { get; }

    /// <summary>The attempt that ended last (a double tap's 409 in progress aside): the app's final word when no attempt succeeded or was refused.</summary>
    public AppCall Last { get; }

    public string Pan => First.Pan;

    public long AmountMinor => First.AmountMinor;

    public CallOutcome Outcome { get; }

    /// <summary>The wallet's id from a 2xx reply; null when the app never got one.</summary>
    public string? PaymentId { get; }

    /// <summary>Every payment id the wallet's 2xx replies gave the app for the key: one when the wallet honours it, one per charge when it does not (a double tap a naive wallet charged twice).</summary>
    public IReadOnlyList<string> PaymentIds { get; }

    /// <summary>Refunds of this payment the app saw succeed.</summary>
    public long AppRefundedMinor { get; set; }

    public List<LedgerEntry> Entries { get; } = [];

    public bool Succeeded => Outcome == CallOutcome.Succeeded;

    /// <summary>The app never learned whether it went through (5xx, timeout, no answer, still in progress).</summary>
    public bool Unknown => Outcome is not (CallOutcome.Succeeded or CallOutcome.Rejected);

    /// <summary>
    /// The app's final word was the wallet saying the payment failed (<see cref="AppCall.WalletSaidFailed"/>): no attempt
    /// succeeded or was refused, and the last one got the wallet's own 502/503/504.
    /// </summary>
    public bool ToldFailed => Outcome == CallOutcome.ServerError && Last.WalletSaidFailed;

    /// <summary>
    /// The most the issuer may keep for it: the amount less app-seen refunds when the app saw it succeed; one
    /// charge when the app never learned the outcome; nothing when the wallet said no.
    /// </summary>
    public long AllowedMinor => Succeeded ? Math.Max(0, AmountMinor - AppRefundedMinor) : Unknown ? AmountMinor : 0;

    /// <summary>Preference when several payments could own an issuer row: a success, then an unknown outcome, then a refusal.</summary>
    public int OutcomeRank => Succeeded ? 0 : Unknown ? 1 : 2;

    public static IReadOnlyList<LogicalPayment> From(IEnumerable<AppCall> calls) =>
        calls.Where(c => !c.IsRefund)
            .GroupBy(c => (c.UserId, c.IdempotencyKey))
            .Select(g => new LogicalPayment(g.ToArray()))
            .ToArray();

    /// <summary>Adds the app's successful refunds (one per refund key) to the payments they name.</summary>
    public static void ApplyRefunds(IReadOnlyList<LogicalPayment> payments, IEnumerable<AppCall> calls)
    {
        var byId = payments.Where(p => p.PaymentId is not null).ToDictionary(p => (p.First.UserId, p.PaymentId!));
        foreach (var refund in calls.Where(c => c.IsRefund).GroupBy(c => (c.UserId, c.IdempotencyKey)))
        {
            var done = refund.FirstOrDefault(c => c.Outcome == CallOutcome.Succeeded);
            if (done?.PaymentId is { } id && byId.TryGetValue((done.UserId, id), out var payment))
            {
                payment.AppRefundedMinor += done.AmountMinor;
            }
        }
    }
}

using PaySim.LoadEngine;
using PaySim.LoadTests.Steps;

namespace PaySim.LoadTests.Claims;

/// <summary>
/// Every run-wide figure, each declared once: name, meaning, how a run computes it and how shards merge it.
/// <c>FigureBuilder</c> (a run) and <c>ShardMerger</c> (a merged run) loop over <see cref="All"/>; claims may
/// name exactly these (<see cref="ClaimMetrics.RunWide"/>); the order is the one error messages list them in.
/// </summary>
internal static class FigureCatalog
{
    /// <summary>Issuer methods that each answer exactly one wallet call, and that wallet call's step.</summary>
    public static readonly IReadOnlyDictionary<string, string> PrimaryIssuerCalls = new Dictionary<string, string>
    {
        ["StartBinding"] = StepNames.BindStart,
        ["ConfirmBinding"] = StepNames.BindConfirm,
        ["Authorize"] = StepNames.Pay,
        ["Refund"] = StepNames.Refund,
        ["AuthenticatePayment"] = StepNames.PayAuthenticate,
    };

    /// <summary>Wallet steps that also need exactly one call of an issuer method above: a QR payment is one Authorize, as a card payment is.</summary>
    public static readonly IReadOnlyList<string> AlsoPrimarySteps = [StepNames.PayQr];

    private const string NotFromSummaries = "shard 1's figure: not recomputable from shard summaries";

    // Each shard's users saw the fault for themselves; the run took at least as long as its slowest shard (shard 1's
    // alone would pass a merged run in which another shard's users waited longer than the claim allows).
    private const string SlowestShard = "the slowest shard's: the run's is no shorter";

    public static readonly IReadOnlyList<RunFigure> All =
    [
        new(ClaimMetrics.SuccessRate, "share of iterations that ended as the persona expects (a decline the persona, the card's state or a planned fault explains counts as success; an unexplained payment decline fails as unexpected_decline)",
            run => Ok(run) + Fail(run) is var n and > 0 ? (double)Ok(run) / n : null, FigureMerge.Recompute) { Live = true, Unit = FigureUnit.Share },
        new(ClaimMetrics.BindSuccessRate, "share of card bindings that ended with a bound card",
            run => BindAttempts(run) is var n and > 0 ? (double)Bound(run) / n : null, FigureMerge.Recompute) { Live = true, Unit = FigureUnit.Share },
        new(ClaimMetrics.BindFailures, "failed bindings, total or by cause with [cause] (wallet error code, e.g. bind_failures[phone_mismatch]), or every other cause with [!cause]",
            (run, figures) =>
            {
                // No binding ended: nothing measured, so "bind_failures == 0" fails with no value instead of passing.
                if (BindAttempts(run) == 0)
                {
                    return;
                }

                figures.Set(ClaimMetrics.BindFailures, BindAttempts(run) - Bound(run));
                foreach (var (cause, n) in run.BindOutcomes.Where(o => o.Key != FigureRun.BoundOutcome))
                {
                    figures.Set($"{ClaimMetrics.BindFailures}[{cause}]", n);
                }
            },
            FigureMerge.Recompute) { Live = true, OnlyGrows = true },
        new(ClaimMetrics.BindResends, "OTP resends the wallet accepted (the app asks when no SMS came within client.smsTimeout, at most client.otpResends times per binding)",
            run => BindAttempts(run) > 0 ? run.Resends : null, FigureMerge.Recompute) { Live = true, OnlyGrows = true },
        new(ClaimMetrics.BindBoundAfterResend, "bindings bound with a code that arrived after an accepted resend (they would have ended sms_timeout without it)",
            run => BindAttempts(run) > 0 ? run.BoundAfterResend : null, FigureMerge.Recompute) { Live = true, OnlyGrows = true },
        new(ClaimMetrics.RiskDeclines, "payments the issuer's risk rules declined (the run's own cause, not a wallet failure), total or by cause with [cause]: velocity (65), limit (61: amount window or daily limit), fraud (59: risk-flagged card or repeat), not_permitted (57)",
            (run, figures) =>
            {
                figures.Set(ClaimMetrics.RiskDeclines, run.RiskDeclines.Values.Sum());
                foreach (var cause in RiskCauses.All)
                {
                    figures.Set($"{ClaimMetrics.RiskDeclines}[{cause}]", run.RiskDeclines.GetValueOrDefault(cause));
                }
            },
            FigureMerge.Recompute) { Live = true, OnlyGrows = true },
        new(ClaimMetrics.StepUpSuccessRate, "share of step-up payments (scenario step-up: pay above the issuer's threshold, 202, the SMS code, authenticate) that ended completed",
            run => StepUpAttempts(run) is var n and > 0 ? (double)Authenticated(run) / n : null, FigureMerge.Recompute) { Live = true, Unit = FigureUnit.Share },
        new(ClaimMetrics.StepUpFailures, "failed step-up payments, total or by cause with [cause] (wallet error code, sms_timeout, not_challenged, timeout…, e.g. step_up_failures[otp_wrong])",
            (run, figures) =>
            {
                if (StepUpAttempts(run) == 0)
                {
                    return;
                }

                figures.Set(ClaimMetrics.StepUpFailures, StepUpAttempts(run) - Authenticated(run));
                foreach (var (cause, n) in run.StepUpOutcomes.Where(o => o.Key != FigureRun.AuthenticatedOutcome))
                {
                    figures.Set($"{ClaimMetrics.StepUpFailures}[{cause}]", n);
                }
            },
            FigureMerge.Recompute) { Live = true, OnlyGrows = true },
        new(ClaimMetrics.PasswordResetSuccessRate, "share of password resets that ended with the new password logging in and the old session gone",
            run => ResetAttempts(run) is var n and > 0 ? (double)run.ResetOutcomes.GetValueOrDefault(FigureRun.ResetOutcome) / n : null, FigureMerge.Recompute) { Live = true, Unit = FigureUnit.Share },
        new(ClaimMetrics.PasswordResetFailures, "failed password resets, total or by cause with [cause] (sms_timeout, reset_code_invalid, new_password_refused, old_session_alive or the wallet's error code), or every other cause with [!cause]",
            (run, figures) =>
            {
                if (ResetAttempts(run) == 0)
                {
                    return;
                }

                figures.Set(ClaimMetrics.PasswordResetFailures, ResetAttempts(run) - run.ResetOutcomes.GetValueOrDefault(FigureRun.ResetOutcome));
                foreach (var (cause, n) in run.ResetOutcomes.Where(o => o.Key != FigureRun.ResetOutcome))
                {
                    figures.Set($"{ClaimMetrics.PasswordResetFailures}[{cause}]", n);
                }
            },
            FigureMerge.Recompute) { Live = true, OnlyGrows = true },
        new(ClaimMetrics.Rps, "iterations per second over the measured part of the run",
            run => run.Summary.Scenarios.Select(s => s.DurationS).DefaultIfEmpty(0).Max() is var s and > 0 ? (Ok(run) + Fail(run)) / s : null, FigureMerge.Recompute) { Live = true, Unit = FigureUnit.Number },
        new(ClaimMetrics.OkCount, "successful iterations", run => Ok(run), FigureMerge.Recompute) { Live = true, OnlyGrows = true },
        new(ClaimMetrics.FailCount, "failed iterations", run => Fail(run), FigureMerge.Recompute) { Live = true, OnlyGrows = true },
        new(ClaimMetrics.Dropped, "open-model iterations that could not start on time", run => run.Summary.Scenarios.Sum(s => s.Dropped), FigureMerge.Recompute) { Live = true, OnlyGrows = true },
        new(ClaimMetrics.MaxStartLagMs, "the load generator's own delay, in ms, over all scenarios: the latest an open-model iteration began after its intended start, or the longest the harness's thread pool kept work waiting (either model); latency includes it (a few ms on a healthy machine; above 100 ms the run warns)",
            run => run.Summary.Scenarios.Count == 0 ? null : run.Summary.Scenarios.Max(s => s.MaxStartLagMs), FigureMerge.Recompute) { Live = true, OnlyGrows = true, Unit = FigureUnit.Milliseconds },
        new(ClaimMetrics.IssuerJain, "Jain's fairness index of issuer calls over issuer nodes (simulator counters)", IssuerJain, FigureMerge.Global) { Unit = FigureUnit.Fraction },
        new(ClaimMetrics.IssuerMaxShare, "largest share of issuer calls taken by one issuer node", IssuerMaxShare, FigureMerge.Global) { Unit = FigureUnit.Share },
        new(ClaimMetrics.WalletJain, "Jain's fairness index of replies over wallet instances (X-Served-By names, and every given wallet URL or embedded instance at 0 when it never answered)",
            run => Fairness.Jain(WalletReplies(run)), FigureMerge.Recompute) { Unit = FigureUnit.Fraction },
        new(ClaimMetrics.WalletMaxShare, "largest share of replies served by one wallet instance",
            run => WalletReplies(run) is { Length: > 0 } counts ? Fairness.MaxShare(counts) : null, FigureMerge.Recompute) { Unit = FigureUnit.Share },
        new(ClaimMetrics.IssuerNodeShare, "one issuer node's share of issuer calls, e.g. issuer_node_share[issuer-2] (a browned-out node's share should drop)",
            (run, figures) =>
            {
                var total = run.IssuerNodes.Sum(n => n.Requests);
                foreach (var n in run.IssuerNodes)
                {
                    figures.Set($"{ClaimMetrics.IssuerNodeShare}[{n.Name}]", total == 0 ? null : (double)n.Requests / total);
                }
            },
            FigureMerge.Global) { Unit = FigureUnit.Share },
        new(ClaimMetrics.Jain, "same as issuer_jain_fairness", IssuerJain, FigureMerge.Global) { Unit = FigureUnit.Fraction, SameAs = ClaimMetrics.IssuerJain },
        new(ClaimMetrics.MaxShare, "same as issuer_max_node_share", IssuerMaxShare, FigureMerge.Global) { Unit = FigureUnit.Share, SameAs = ClaimMetrics.IssuerMaxShare },
        new(ClaimMetrics.RetryAmplification, "issuer calls (StartBinding, ConfirmBinding, Authorize, Refund, AuthenticatePayment) per wallet call that needs one (bind_start, bind_confirm, pay, pay_qr, pay_authenticate, refund)",
            run => PrimaryWalletCalls(run.WalletCalls) is var calls and > 0 ? (double)run.IssuerNodes.Sum(n => n.PrimaryCalls) / calls : null,
            // Shard 1's simulator delta spans every shard's issuer calls (they run side by side), so issuer calls =
            // its figure × its own wallet calls, over all shards' wallet calls.
            FigureMerge.Scaled(s => PrimaryWalletCalls(s.Merged.WalletCalls) is var all and > 0 ? (double)PrimaryWalletCalls(s.WalletCalls[0]) / all : null, note: null)) { Unit = FigureUnit.Number },
        new(ClaimMetrics.FailoverDetectMs, "from the first fault's start to the first second with errors above the baseline",
            Failover(f => f.DetectMs, ClaimMetrics.FailoverDetectMs), FigureMerge.UpperBound(SlowestShard)) { Unit = FigureUnit.Milliseconds },
        new(ClaimMetrics.RecoveryMs, "from that first error second until the error rate is back to the baseline",
            Failover(f => f.RecoverMs, ClaimMetrics.RecoveryMs), FigureMerge.UpperBound(SlowestShard)) { Unit = FigureUnit.Milliseconds },
        new(ClaimMetrics.ErrorsDuringFault, "failed iterations inside the fault windows",
            Failover(f => f.ErrorsDuringFault, ClaimMetrics.ErrorsDuringFault), FigureMerge.Sum),
        new(ClaimMetrics.FaultP99Ms, "fault_p99_ms[N]: worst per-second p99 of iterations finishing in the N-th fault window (1-based: faults, then nodeEvents, in plan order) or up to client.timeout after it; how long that fault stalled calls",
            (run, figures) =>
            {
                if (run.FirstFaultStart is null)
                {
                    return;
                }

                for (var i = 0; i < run.FaultWindows.Count; i++)
                {
                    figures.Set($"{ClaimMetrics.FaultP99Ms}[{i + 1}]", FaultWindowLatency.WorstP99Ms(run.TimeSeries, run.FaultWindows[i], run.ClientTimeout));
                }
            },
            // Per-second p99s cannot be merged exactly without per-second histograms: the largest shard's bounds the run's.
            FigureMerge.UpperBound("the largest shard's: an upper bound")) { Unit = FigureUnit.Milliseconds },
        new(ClaimMetrics.DuplicateCharges, "payments the issuer charged twice (simulator invariants, this run)", run => run.DuplicateCharges, FigureMerge.GlobalWorst(Enumerable.Max)),
        new(ClaimMetrics.DeclinedReattempts, "Authorize calls that sent an order the issuer had declined again under a new idempotency key (simulator invariants, this run; card schemes limit such reattempts)",
            run => run.DeclinedReattempts, FigureMerge.GlobalWorst(Enumerable.Max)),
        new(ClaimMetrics.MoneyConserved, "1 when the simulator's ledger balances (balances + held + captured - refunded == initial), else 0",
            run => run.MoneyConserved ? 1 : 0, FigureMerge.GlobalWorst(Enumerable.Min)) { Unit = FigureUnit.Flag },
        new(ClaimMetrics.KneeRps, "capacity plans: the highest judged stepped rate meeting the capacity objectives below the first judged one that does not (seconds the generator was late in are not judged)",
            (run, figures) =>
            {
                if (run.CapacityResult is { } capacity)
                {
                    figures.Set(ClaimMetrics.KneeRps, capacity.KneeRps);
                }
            },
            // Each shard stepped through 1/n of every capacity step, so its knee is 1/n of the system's.
            FigureMerge.Scaled(s => s.Count, "shard 1's knee × shard count")) { Unit = FigureUnit.Number },
        new(ClaimMetrics.P99Drift, "median per-second p99 of the last fifth of the run divided by the same of the first measured fifth (soak)",
            run => P99Drift(run.TimeSeries, run.WarmUp), FigureMerge.NotMergeable(NotFromSummaries)) { Unit = FigureUnit.Number },
        new(ClaimMetrics.MemoryGrowthMb, "growth of this process's managed heap over the run, in MB (soak, embedded target)",
            run => run.MemoryGrowthMb, FigureMerge.NotMergeable(NotFromSummaries)) { Unit = FigureUnit.SignedNumber },
        Reconciled(ClaimMetrics.ExcessCharges, "reconciliation: payments whose money the issuer captured or still holds beyond what the app saw succeed (one charge allowed when the app never learned the outcome), joined per card by order reference, key or amount"),
        Reconciled(ClaimMetrics.ExcessMinor, "reconciliation: the money behind excess_charges, in minor units"),
        Reconciled(ClaimMetrics.LostPayments, "reconciliation: payments the app saw succeed (2xx) that the issuer never captured or the wallet has no record of"),
        Reconciled(ClaimMetrics.OrphanHolds, "reconciliation: issuer holds of the run's cards neither captured nor released after the settle window"),
        Reconciled(ClaimMetrics.StuckPending, "reconciliation: wallet payments or refunds of the run's users still pending after the settle window"),
        Reconciled(ClaimMetrics.RefundMismatch, "reconciliation: payments whose refunds the wallet reports (over every record it made for the payment) differ from what the issuer refunded"),
        Reconciled(ClaimMetrics.ToldFailedCharged, "reconciliation: payments whose final answer to the app was the wallet's own 502/503/504 (no attempt succeeded) while the wallet records them completed, or has no record and the issuer captured money for them"),
        Reconciled(ClaimMetrics.DuplicateWalletPayments, "reconciliation: payments (one user's Idempotency-Key) for which the wallet made more than one payment record"),
    ];

    /// <summary>The figures known while the load runs (<see cref="RunFigure.Live"/>), in catalog order: what an <c>abortOnFail</c> claim may name.</summary>
    public static IReadOnlyList<string> LiveNames => All.Where(f => f.Live).Select(f => f.Name).ToArray();

    /// <summary>The live figures of a run still going: its live summary and counters (nothing else of <paramref name="run"/> is read).</summary>
    public static RunFigures ComputeLive(FigureRun run)
    {
        var figures = new RunFigures(run.Summary);
        foreach (var figure in All.Where(f => f.Live))
        {
            figure.Compute(run, figures);
        }

        return figures;
    }

    /// <summary>The figure a figure key (name or name[...]) belongs to, or null.</summary>
    public static RunFigure? Owner(string key) => All.FirstOrDefault(f => f.Owns(key));

    /// <summary>Each shard reconciled its own cards: the figure is recomputed from the merged ledgers.</summary>
    private static RunFigure Reconciled(string name, string description) =>
        new(name, description, run => run.Reconciliation.GetValueOrDefault(name), FigureMerge.Recompute);

    /// <summary>A failover figure: set only when the plan injects faults.</summary>
    private static Action<FigureRun, RunFigures> Failover(Func<FailoverResult, double> pick, string name) => (run, figures) =>
    {
        if (run.Failover is { } failover)
        {
            figures.Set(name, pick(failover));
        }
    };

    private static long Ok(FigureRun run) => run.Summary.Scenarios.Sum(s => s.Ok);

    private static long Fail(FigureRun run) => run.Summary.Scenarios.Sum(s => s.Fail);

    private static long BindAttempts(FigureRun run) => run.BindOutcomes.Values.Sum();

    private static long ResetAttempts(FigureRun run) => run.ResetOutcomes.Values.Sum();

    private static long Bound(FigureRun run) => run.BindOutcomes.GetValueOrDefault(FigureRun.BoundOutcome);

    private static long StepUpAttempts(FigureRun run) => run.StepUpOutcomes.Values.Sum();

    private static long Authenticated(FigureRun run) => run.StepUpOutcomes.GetValueOrDefault(FigureRun.AuthenticatedOutcome);

    private static long[] IssuerRequests(FigureRun run) => run.IssuerNodes.Select(n => n.Requests).ToArray();

    private static double? IssuerJain(FigureRun run) => Fairness.Jain(IssuerRequests(run));

    private static double? IssuerMaxShare(FigureRun run) => IssuerRequests(run) is { Length: > 0 } counts ? Fairness.MaxShare(counts) : null;

    private static long[] WalletReplies(FigureRun run) => run.WalletInstances.Select(w => w.Replies).ToArray();

    private static long PrimaryWalletCalls(IReadOnlyDictionary<string, long> walletCalls) =>
        PrimaryIssuerCalls.Values.Concat(AlsoPrimarySteps).Sum(step => walletCalls.GetValueOrDefault(step));

    /// <summary>
    /// Median of the per-second p99 over the last fifth of the measured run, over the same for the first fifth. A drift
    /// is sustained, so the median: at 10/s a second's p99 is its slowest call, and a mean let one stalled second of
    /// twelve (a hash, a GC, a busy CI machine) read as a 3× drift.
    /// </summary>
    internal static double? P99Drift(IReadOnlyList<TimeSeriesPoint> points, TimeSpan warmUp)
    {
        var seconds = points.Where(p => p.Second - 1 >= warmUp.TotalSeconds && p.Requests > 0)
            .GroupBy(p => p.Second).OrderBy(g => g.Key)
            .Select(g => (Requests: g.Sum(p => p.Requests), P99: g.Max(p => p.P99Ms)))
            .ToArray();
        if (seconds.Length < 5)
        {
            return null;
        }

        var fifth = seconds.Length / 5;
        static double Median(IEnumerable<(long Requests, double P99)> xs)
        {
            var sorted = xs.Select(x => x.P99).Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        var first = Median(seconds.Take(fifth));
        var last = Median(seconds.Skip(seconds.Length - fifth));
        return first > 0 ? last / first : null;
    }
}

using System.Text.RegularExpressions;
using PaySim.LoadEngine;

namespace PaySim.LoadTests.Claims;

/// <summary>
/// Every name a claim may use, with its meaning (docs/plans.md lists the same). Claims use the load
/// engine's threshold grammar; unscoped names are run-wide figures joined from the engine, the
/// simulator and the wallet replies; <c>step:&lt;name&gt;</c> and <c>scenario:&lt;name&gt;</c> scope the
/// engine's per-step and per-scenario statistics.
/// </summary>
internal static partial class ClaimMetrics
{
    public const string SuccessRate = "success_rate";
    public const string BindSuccessRate = "bind_success_rate";
    public const string BindFailures = "bind_failures";
    public const string BindResends = "bind_resends";
    public const string BindBoundAfterResend = "bind_bound_after_resend";
    public const string RiskDeclines = "risk_declines";
    public const string StepUpSuccessRate = "step_up_success_rate";
    public const string StepUpFailures = "step_up_failures";
    public const string PasswordResetSuccessRate = "password_reset_success_rate";
    public const string PasswordResetFailures = "password_reset_failures";
    public const string Rps = "rps";
    public const string OkCount = "ok_count";
    public const string FailCount = "fail_count";
    public const string Dropped = "dropped";
    public const string MaxStartLagMs = "max_start_lag_ms";
    public const string IssuerJain = "issuer_jain_fairness";
    public const string IssuerMaxShare = "issuer_max_node_share";
    public const string WalletJain = "wallet_jain_fairness";
    public const string WalletMaxShare = "wallet_max_node_share";
    public const string Jain = "jain_fairness";
    public const string MaxShare = "max_node_share";
    public const string IssuerNodeShare = "issuer_node_share";
    public const string RetryAmplification = "retry_amplification";
    public const string FailoverDetectMs = "failover_detect_ms";
    public const string RecoveryMs = "recovery_ms";
    public const string ErrorsDuringFault = "errors_during_fault";
    public const string FaultP99Ms = "fault_p99_ms";
    public const string DuplicateCharges = "duplicate_charges";
    public const string DeclinedReattempts = "declined_reattempts";
    public const string MoneyConserved = "money_conserved";
    public const string KneeRps = "knee_rps";
    public const string P99Drift = "p99_drift";
    public const string MemoryGrowthMb = "memory_growth_mb";
    public const string ExcessCharges = "excess_charges";
    public const string ExcessMinor = "excess_minor";
    public const string LostPayments = "lost_payments";
    public const string OrphanHolds = "orphan_holds";
    public const string StuckPending = "stuck_pending";
    public const string RefundMismatch = "refund_mismatch";
    public const string ToldFailedCharged = "told_failed_charged";
    public const string DuplicateWalletPayments = "duplicate_wallet_payments";

    /// <summary>Every run-wide figure's name and meaning, in <see cref="FigureCatalog"/>'s order (where each is declared).</summary>
    public static readonly IReadOnlyDictionary<string, string> RunWide = FigureCatalog.All.ToDictionary(f => f.Name, f => f.Description, StringComparer.Ordinal);

    /// <summary>The reconciliation figures: claim metric → summary.json field under "reconciliation".</summary>
    public static readonly IReadOnlyList<(string Metric, string Field)> Reconciliation =
    [
        (ExcessCharges, "excessCharges"), (ExcessMinor, "excessMinor"), (LostPayments, "lostPayments"),
        (OrphanHolds, "orphanHolds"), (StuckPending, "stuckPending"), (RefundMismatch, "refundMismatch"),
        (ToldFailedCharged, "toldFailedCharged"), (DuplicateWalletPayments, "duplicateWalletPayments"),
    ];

    /// <summary>
    /// Failure counts keyed by cause: <c>name[cause]</c> is 0 for a cause that never happened (once the figure has a value),
    /// and <c>name[!cause]</c> counts the failures of every other cause, so a plan can say "only sms_timeout".
    /// </summary>
    public static readonly IReadOnlyList<string> ByCause = [BindFailures, StepUpFailures, PasswordResetFailures];

    public static readonly IReadOnlyList<string> ScopeKinds = ["step", "scenario"];

    public static readonly IReadOnlyList<string> StatNames =
        ["ok", "fail", "count", "ok_rate", "fail_rate", "rps", "ok_rps", "fail_rps", "dropped", "dropped_rate", "bytes", "mean", "max", "min", "stddev", "p50", "p75", "p90", "p95", "p99", "p99.9", "status[CODE]"];

    /// <summary>The step and scenario statistics that only grow while the load runs: counts, bytes, codes and the maximum so far.</summary>
    public static readonly IReadOnlyList<string> GrowingStatNames = ["ok", "fail", "count", "dropped", "bytes", "max", "status", "ok_count", "fail_count", "requests"];

    /// <summary>Claims may say "== true"/"== false" for yes/no figures; the grammar wants numbers.</summary>
    public static string Normalise(string text) => BoolLiteral().Replace(text, m => m.Groups[1].Value + (m.Groups[2].Value.Equals("true", StringComparison.OrdinalIgnoreCase) ? "1" : "0"));

    /// <summary>
    /// Judges a claim as written in the plan (<paramref name="written"/>, e.g. "money_conserved == true")
    /// over the run's figures; a yes/no claim reports its observed value as true/false, not 1/0.
    /// </summary>
    public static ClaimResult Judge(string name, string written, Func<string, double?> lookup, string? scenario = null)
    {
        var normalised = Normalise(written);
        var expression = Expression.Parse(normalised);
        var judged = ClaimResult.FromResult(name, expression, expression.Evaluate(lookup), scenario);
        judged.Expression = written;
        if (!string.Equals(normalised, written, StringComparison.Ordinal) && judged.Observed is { } observed)
        {
            judged.ObservedText = observed == 0 ? "false" : observed == 1 ? "true" : judged.ObservedText;
        }

        return judged;
    }

    public static bool IsStatName(string metric) =>
        StatNames.Contains(metric) || Percentile().IsMatch(metric) || metric.StartsWith("status[", StringComparison.Ordinal) || metric is "ok_count" or "fail_count" or "requests";

    [GeneratedRegex(@"^p\d+(\.\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Percentile();

    [GeneratedRegex(@"((?:==|!=|=)\s*)(true|false)\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex BoolLiteral();
}

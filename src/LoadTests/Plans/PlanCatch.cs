namespace PaySim.LoadTests.Plans;

/// <summary>
/// One entry of a plan's <c>"catches"</c>: a planted defect the plan promises to fail on, and <see cref="By"/> the claim
/// metrics (<see cref="Claim.Name"/>, e.g. "recovery_ms", "step:pay p99") of which at least one must fail for the catch to
/// count. An empty <see cref="By"/> is the plain string form (<c>"catches": ["no-failover"]</c>): any failed claim counts.
/// </summary>
internal sealed record PlanCatch(string Defect, IReadOnlyList<string> By)
{
    /// <summary>The plain string form: the defect, caught by any failed claim.</summary>
    public PlanCatch(string defect)
        : this(defect, [])
    {
    }

    /// <summary>
    /// Whether a red run (a verdict, clean wallet green) that failed the claims of <paramref name="failedMetrics"/> keeps
    /// this promise: the plain form any red run keeps; a <see cref="By"/> list needs one of its metrics among them.
    /// </summary>
    public bool CaughtBy(IEnumerable<string> failedMetrics) =>
        By.Count == 0 || failedMetrics.Any(m => By.Contains(m, StringComparer.Ordinal));

    /// <summary>"no-failover by recovery_ms, errors_during_fault", or "no-failover" for the plain form.</summary>
    public override string ToString() => By.Count == 0 ? Defect : $"{Defect} by {string.Join(", ", By)}";
}

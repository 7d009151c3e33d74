namespace PaySim.LoadTests.Selftest;

/// <summary>
/// One run of the matrix: a plan against the resilient wallet, clean (<see cref="Defect"/> null) or with one planted defect.
/// <see cref="FailedClaims"/> are the claims that failed ("excess_charges == 0 (observed 3)"); <see cref="Error"/> says why
/// a run could not finish (it then counts as red: a wallet that breaks the run is caught, a clean one is a false alarm).
/// <see cref="Command"/> plays the cell on its own (<see cref="Running.RunAgain"/>); null when the runner gave none.
/// </summary>
internal sealed record SelftestCell(string? Defect, string Plan, bool Passed, IReadOnlyList<string> FailedClaims, string? Error, double Seconds, string? ReportFolder, string? Command = null)
{
    /// <summary>The row's name in the matrix and its folder under the report folder.</summary>
    public string Row => Defect ?? SelftestMatrix.CleanRow;

    /// <summary>"pass", or "fail: figure, figure" naming the failed claims by their figure, or "error: …".</summary>
    public string Short =>
        Passed ? "pass"
        : Error is not null ? "error"
        : "fail: " + string.Join(", ", FailedMetrics);

    /// <summary>"; run it alone: dotnet run … run --plan p --defect d --seed 42" (<paramref name="what"/> first), or "" without a command.</summary>
    public string RunAlone(string what) => Command is null ? string.Empty : $"; {what}: {Command}";

    /// <summary>The metrics of the claims that failed (<see cref="Figure"/> of each, each once), as a <c>"catches"</c> entry's <c>by</c> names them.</summary>
    public IReadOnlyList<string> FailedMetrics => FailedClaims.Select(Figure).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// A failed claim's metric, its left-hand name as <see cref="Plans.Claim.Name"/> gives it: "excess_charges == 0 (observed 3)"
    /// → "excess_charges", "step:pay p99 &lt; 2s (observed 2.4s)" → "step:pay p99", "risk_declines[velocity] &gt;= 5 (observed 0)"
    /// → "risk_declines[velocity]"; text that does not parse as a claim gives its first word.
    /// </summary>
    public static string Figure(string claim)
    {
        var observed = claim.LastIndexOf(" (observed ", StringComparison.Ordinal);
        var written = observed > 0 ? claim[..observed] : claim;
        if (PaySim.LoadEngine.Expression.TryParse(Claims.ClaimMetrics.Normalise(written), out var expression, out _))
        {
            return new Plans.Claim(written, expression).Name;
        }

        var space = claim.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? claim[..space] : claim;
    }
}

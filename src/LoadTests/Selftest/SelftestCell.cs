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
        : "fail: " + string.Join(", ", FailedClaims.Select(Figure).Distinct(StringComparer.Ordinal));

    /// <summary>"; run it alone: dotnet run … run --plan p --defect d --seed 42" (<paramref name="what"/> first), or "" without a command.</summary>
    public string RunAlone(string what) => Command is null ? string.Empty : $"; {what}: {Command}";

    /// <summary>"excess_charges == 0 (observed 3)" → "excess_charges".</summary>
    public static string Figure(string claim)
    {
        var space = claim.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? claim[..space] : claim;
    }
}

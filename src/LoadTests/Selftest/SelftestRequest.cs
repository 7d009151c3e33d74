namespace PaySim.LoadTests.Selftest;

/// <summary>What <c>selftest</c> was asked: the plans (name → plan text and source), the defects, and how long each run is.</summary>
internal sealed record SelftestRequest
{
    public const string DefaultDuration = "10s";

    public required IReadOnlyList<SelftestPlan> Plans { get; init; }

    public required IReadOnlyList<string> Defects { get; init; }

    public required TimeSpan Duration { get; init; }

    public int? Seed { get; init; }

    public required string ReportDir { get; init; }

    /// <summary>Run each defect only against the plans that promise to catch it (<c>--promised-only</c>); the clean wallet still runs every plan.</summary>
    public bool PromisedOnly { get; init; }

    /// <summary>The cells in the order they run: the clean wallet first (a false alarm shows early), then each defect.</summary>
    public IEnumerable<(string? Defect, SelftestPlan Plan)> Cells()
    {
        foreach (var plan in Plans)
        {
            yield return (null, plan);
        }

        foreach (var defect in Defects)
        {
            foreach (var plan in Plans.Where(p => !PromisedOnly || p.Catches.Any(c => c.Defect == defect)))
            {
                yield return (defect, plan);
            }
        }
    }
}

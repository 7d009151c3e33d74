namespace PaySim.LoadTests.Selftest;

/// <summary>
/// The verdict over the cells: the clean wallet must pass every plan (a red cell there is a false alarm), every defect
/// must turn at least one plan red that the clean wallet passed, by a claim that failed (a run that gave no verdict,
/// crashed or timed out catches nothing), and every plan's
/// <c>"catches"</c> promise that was run must hold. <c>selftest</c> exits 0 when all three hold, else 1.
/// </summary>
internal sealed class SelftestMatrix
{
    /// <summary>The row of the wallet with no defect planted.</summary>
    public const string CleanRow = "clean";

    public SelftestMatrix(IReadOnlyList<string> plans, IReadOnlyList<string> defects, IReadOnlyDictionary<string, IReadOnlyList<string>> promises, IReadOnlyList<SelftestCell> cells)
    {
        Plans = plans;
        Defects = defects;
        Promises = promises;
        Cells = cells;
        FalseAlarms = plans.Where(p => Find(null, p) is { Passed: false }).ToArray();
        var cleanPassed = plans.Where(p => Find(null, p) is { Passed: true }).ToHashSet(StringComparer.Ordinal);
        CaughtBy = defects.ToDictionary(
            d => d,
            d => (IReadOnlyList<string>)plans.Where(p => cleanPassed.Contains(p) && Find(d, p) is { Passed: false, Error: null }).ToArray(),
            StringComparer.Ordinal);
        Uncaught = defects.Where(d => CaughtBy[d].Count == 0).ToArray();
        BrokenPromises = plans
            .SelectMany(p => promises.TryGetValue(p, out var list) ? list.Select(d => (Plan: p, Defect: d)) : [])
            .Where(x => defects.Contains(x.Defect, StringComparer.Ordinal) && Find(x.Defect, x.Plan) is { } cell && (cell.Passed || cell.Error is not null || !cleanPassed.Contains(x.Plan)))
            .Select(x => $"{x.Plan} promises to catch {x.Defect}, but " + Find(x.Defect, x.Plan)! switch
            {
                { Passed: true } => "that wallet passed it",
                { Error: { } error } => $"that run gave no verdict ({error})",
                _ => "the clean wallet failed it too",
            })
            .ToArray();
    }

    public IReadOnlyList<string> Plans { get; }

    public IReadOnlyList<string> Defects { get; }

    /// <summary>Plan → the defects its <c>"catches"</c> promises.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Promises { get; }

    public IReadOnlyList<SelftestCell> Cells { get; }

    /// <summary>Plans the clean wallet failed: the harness called a correct wallet broken.</summary>
    public IReadOnlyList<string> FalseAlarms { get; }

    /// <summary>Defect → the plans it turned red (among those the clean wallet passed).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> CaughtBy { get; }

    /// <summary>Defects no plan turned red.</summary>
    public IReadOnlyList<string> Uncaught { get; }

    /// <summary>"node-loss promises to catch no-failover, but that wallet passed it" for each promise run and not kept.</summary>
    public IReadOnlyList<string> BrokenPromises { get; }

    public bool Passed => FalseAlarms.Count == 0 && Uncaught.Count == 0 && BrokenPromises.Count == 0;

    public IEnumerable<string> Rows => Defects.Prepend(CleanRow);

    /// <summary>The cell of a row (null = clean) and plan, or null when it was not run (<c>--promised-only</c>).</summary>
    public SelftestCell? Find(string? defect, string plan) =>
        Cells.FirstOrDefault(c => c.Defect == defect && c.Plan == plan);

    /// <summary>One line per problem, for the console and the report: false alarms, uncaught defects, broken promises.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var plan in FalseAlarms)
        {
            var cell = Find(null, plan)!;
            yield return $"false alarm: the clean wallet failed {plan} ({(cell.Error ?? string.Join("; ", cell.FailedClaims))}){cell.RunAlone("run it alone")}";
        }

        foreach (var defect in Uncaught)
        {
            var ran = Plans.Where(p => Find(defect, p) is not null).ToArray();
            yield return ran.Length == 0
                ? $"not caught: {defect} (no selected plan promises to catch it, and --promised-only ran no other)"
                : ran.Select(p => Find(defect, p)!).Where(c => c.Error is not null).ToArray() is { Length: > 0 } broke
                    ? $"not caught: {defect} gave no verdict in {string.Join(", ", broke.Select(c => c.Plan))} ({broke[0].Error}) and passed any other plan it ran{broke[0].RunAlone("run one alone")}"
                    : $"not caught: {defect} passed every plan it ran ({string.Join(", ", ran)}){Find(defect, ran[0])!.RunAlone("run one alone")}";
        }

        foreach (var broken in BrokenPromises)
        {
            yield return $"broken promise: {broken}";
        }
    }
}

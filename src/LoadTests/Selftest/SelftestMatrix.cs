using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Selftest;

/// <summary>
/// The verdict over the cells: the clean wallet must pass every plan (a red cell there is a false alarm), every defect
/// must turn at least one plan red that the clean wallet passed, by a claim that failed (a run that gave no verdict,
/// crashed or timed out catches nothing), and every plan's
/// <c>"catches"</c> promise that was run must hold: the plan red with that defect and green on the clean wallet, and,
/// where the promise names its claims (<see cref="PlanCatch.By"/>), red by at least one of them; a run red only by
/// other claims breaks it. <c>selftest</c> exits 0 when all three hold, else 1.
/// </summary>
internal sealed class SelftestMatrix
{
    /// <summary>The row of the wallet with no defect planted.</summary>
    public const string CleanRow = "clean";

    public SelftestMatrix(IReadOnlyList<string> plans, IReadOnlyList<string> defects, IReadOnlyDictionary<string, IReadOnlyList<PlanCatch>> promises, IReadOnlyList<SelftestCell> cells)
    {
        Plans = plans;
        Defects = defects;
        Promises = promises;
        Cells = cells;
        FalseAlarms = plans.Where(p => Find(null, p) is { Passed: false }).ToArray();
        var cleanPassed = plans.Where(p => Find(null, p) is { Passed: true }).ToHashSet(StringComparer.Ordinal);
        CaughtBy = defects.ToDictionary(
            d => d,
            // A plan that promised the defect by named claims and failed only others did not catch it: it broke its promise.
            d => (IReadOnlyList<string>)plans.Where(p => cleanPassed.Contains(p) && Find(d, p) is { Passed: false, Error: null } cell && MissedBy(cell) is null).ToArray(),
            StringComparer.Ordinal);
        Uncaught = defects.Where(d => CaughtBy[d].Count == 0).ToArray();
        Broken = plans
            .SelectMany(p => promises.TryGetValue(p, out var list) ? list.Select(c => (Plan: p, Catch: c)) : [])
            .Where(x => defects.Contains(x.Catch.Defect, StringComparer.Ordinal))
            .Select(x => (x.Plan, x.Catch, Cell: Find(x.Catch.Defect, x.Plan)))
            .Where(x => x.Cell is not null)
            .Select(x => Break(x.Plan, x.Catch, x.Cell!, cleanPassed.Contains(x.Plan)))
            .OfType<BrokenPromise>()
            .ToArray();
        BrokenPromises = Broken.Select(b => b.Text).ToArray();
    }

    /// <summary>A promise run and not kept: the plan, the defect and the line that says why.</summary>
    public sealed record BrokenPromise(string Plan, string Defect, string Text);

    public IReadOnlyList<string> Plans { get; }

    public IReadOnlyList<string> Defects { get; }

    /// <summary>Plan → its <c>"catches"</c> promises: the defects, each with the claims that must catch it (none: any claim).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PlanCatch>> Promises { get; }

    public IReadOnlyList<SelftestCell> Cells { get; }

    /// <summary>Plans the clean wallet failed: the harness called a correct wallet broken.</summary>
    public IReadOnlyList<string> FalseAlarms { get; }

    /// <summary>Defect → the plans it turned red (among those the clean wallet passed).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> CaughtBy { get; }

    /// <summary>Defects no plan turned red.</summary>
    public IReadOnlyList<string> Uncaught { get; }

    /// <summary>
    /// "node-loss promises to catch no-failover, but that wallet passed it", or "node-loss did not catch no-failover by
    /// recovery_ms, errors_during_fault; it failed success_rate", for each promise run and not kept.
    /// </summary>
    public IReadOnlyList<string> BrokenPromises { get; }

    /// <summary><see cref="BrokenPromises"/> with the plan and defect each is about.</summary>
    public IReadOnlyList<BrokenPromise> Broken { get; }

    public bool Passed => FalseAlarms.Count == 0 && Uncaught.Count == 0 && BrokenPromises.Count == 0;

    public IEnumerable<string> Rows => Defects.Prepend(CleanRow);

    /// <summary>The plan's promise to catch <paramref name="defect"/>, or null when its <c>"catches"</c> does not name it.</summary>
    public PlanCatch? Promise(string? defect, string plan) =>
        defect is not null && Promises.TryGetValue(plan, out var list) ? list.FirstOrDefault(c => c.Defect == defect) : null;

    /// <summary>
    /// The promise whose claims this cell missed: the plan promises to catch the cell's defect by <see cref="PlanCatch.By"/>,
    /// and the run (with a verdict) failed only other claims; null otherwise.
    /// </summary>
    public PlanCatch? MissedBy(SelftestCell cell) =>
        Promise(cell.Defect, cell.Plan) is { By.Count: > 0 } promise && cell is { Passed: false, Error: null } && !promise.CaughtBy(cell.FailedMetrics) ? promise : null;

    /// <summary>The cell of a row (null = clean) and plan, or null when it was not run (<c>--promised-only</c>).</summary>
    public SelftestCell? Find(string? defect, string plan) =>
        Cells.FirstOrDefault(c => c.Defect == defect && c.Plan == plan);

    /// <summary>Why the promise of <paramref name="plan"/> to catch a defect was not kept by its cell, or null when it was.</summary>
    private static BrokenPromise? Break(string plan, PlanCatch promise, SelftestCell cell, bool cleanPassed)
    {
        var why = cell switch
        {
            { Passed: true } => $"{plan} promises to catch {promise.Defect}, but that wallet passed it",
            { Error: { } error } => $"{plan} promises to catch {promise.Defect}, but that run gave no verdict ({error})",
            _ when !cleanPassed => $"{plan} promises to catch {promise.Defect}, but the clean wallet failed it too",
            _ when !promise.CaughtBy(cell.FailedMetrics) => $"{plan} did not catch {promise.Defect} by {string.Join(", ", promise.By)}; it failed {(cell.FailedMetrics.Count == 0 ? "no claim" : string.Join(", ", cell.FailedMetrics))}",
            _ => null,
        };
        return why is null ? null : new BrokenPromise(plan, promise.Defect, why);
    }

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
                : ran.Select(p => Find(defect, p)!).Where(c => MissedBy(c) is not null).ToArray() is { Length: > 0 } missed
                    ? $"not caught: {defect} failed {string.Join(", ", missed.Select(c => c.Plan))} only by claims other than those promised (broken promise below) and passed any other plan it ran"
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

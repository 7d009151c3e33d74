namespace PaySim.LoadTests.Claims;

/// <summary>
/// One run-wide figure a claim can name, declared once (<see cref="FigureCatalog"/>): its name and meaning (docs/plans.md,
/// "Claims"), how it is computed from a run, and how the shards of a run merge it. A keyed figure
/// (bind_failures[cause], issuer_node_share[node], fault_p99_ms[N]) sets its keys too.
/// </summary>
internal sealed class RunFigure
{
    private readonly Action<FigureRun, RunFigures> _compute;

    public RunFigure(string name, string description, Action<FigureRun, RunFigures> compute, FigureMerge merge)
    {
        Name = name;
        Description = description;
        _compute = compute;
        Merge = merge;
    }

    /// <summary>A figure with one value.</summary>
    public RunFigure(string name, string description, Func<FigureRun, double?> compute, FigureMerge merge)
        : this(name, description, (run, figures) => figures.Set(name, compute(run)), merge)
    {
    }

    public string Name { get; }

    public string Description { get; }

    public FigureMerge Merge { get; }

    /// <summary>
    /// Known while the load runs: computed only from the engine's live summary and the run's own counters (no simulator
    /// counters, ledgers, reconciliation or whole-run analysis), so a claim on it may stop the run (<c>abortOnFail</c>).
    /// </summary>
    public bool Live { get; init; }

    /// <summary>
    /// Only grows while the load runs (a count, or a maximum so far): judged live against a lower bound or an exact value it
    /// fails before the run has counted, so an <c>abortOnFail</c> claim on it takes an upper bound only.
    /// </summary>
    public bool OnlyGrows { get; init; }

    /// <summary>The figure this one is another name of (<c>jain_fairness</c> is <c>issuer_jain_fairness</c>), or null.</summary>
    public string? SameAs { get; init; }

    /// <summary>The kind of number it is: what unit a claim on it is written in, and the values it can take.</summary>
    public FigureUnit Unit { get; init; } = FigureUnit.Count;

    public void Compute(FigureRun run, RunFigures into) => _compute(run, into);

    /// <summary>Whether a figure key is this figure or one of its keyed values (name[...]).</summary>
    public bool Owns(string key) =>
        key.StartsWith(Name, StringComparison.Ordinal) && (key.Length == Name.Length || key[Name.Length] == '[');
}

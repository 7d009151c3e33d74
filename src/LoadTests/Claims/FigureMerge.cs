namespace PaySim.LoadTests.Claims;

/// <summary>
/// How shards merge one figure (<see cref="FigureMergeKind"/>), and the note a merged claim on it carries when the
/// merged value is not the exact figure of the whole run.
/// </summary>
internal sealed class FigureMerge
{
    private readonly Func<FigureShards, double?>? _factor;
    private readonly Func<IEnumerable<double>, double>? _worst;

    private FigureMerge(FigureMergeKind kind, string? note, Func<FigureShards, double?>? factor = null, Func<IEnumerable<double>, double>? worst = null)
    {
        Kind = kind;
        Note = note;
        _factor = factor;
        _worst = worst;
    }

    public static FigureMerge Recompute { get; } = new(FigureMergeKind.Recompute, null);

    public static FigureMerge Sum { get; } = new(FigureMergeKind.Sum, null);

    public static FigureMerge Global { get; } = new(FigureMergeKind.Global, null);

    /// <summary>
    /// The shared simulator's figure where one direction is worse (a count of violations: the most; a 1/0 invariant: the
    /// least): the worst shard's value, so a violation inside one shard's window only is not lost.
    /// </summary>
    public static FigureMerge GlobalWorst(Func<IEnumerable<double>, double> worst) => new(FigureMergeKind.Global, null, worst: worst);

    public FigureMergeKind Kind { get; }

    /// <summary>Appended in brackets to a merged claim's message, e.g. "the largest shard's: an upper bound".</summary>
    public string? Note { get; }

    public static FigureMerge UpperBound(string note) => new(FigureMergeKind.UpperBound, note);

    public static FigureMerge Scaled(Func<FigureShards, double?> factor, string? note) => new(FigureMergeKind.Scaled, note, factor);

    public static FigureMerge NotMergeable(string note) => new(FigureMergeKind.NotMergeable, note);

    /// <summary>Sets <paramref name="figure"/>'s merged value (and its keyed values, name[...]) into <paramref name="merged"/>.</summary>
    public void Apply(RunFigure figure, FigureShards shards, RunFigures merged)
    {
        var one = shards.Figures[0];
        switch (Kind)
        {
            case FigureMergeKind.Recompute:
                figure.Compute(shards.Merged, merged);
                break;
            case FigureMergeKind.Global when _worst is not null:
                foreach (var key in shards.Figures.SelectMany(f => f.Keys).Where(figure.Owns).Distinct().ToArray())
                {
                    // A shard that measured no value leaves the run's unknown: the worst may be the one it did not see.
                    var values = shards.Figures.Select(f => f.GetValueOrDefault(key)).ToArray();
                    merged.Set(key, values.Any(v => v is null) ? null : _worst(values.Select(v => v!.Value)));
                }

                break;
            case FigureMergeKind.Global or FigureMergeKind.NotMergeable:
                foreach (var (key, value) in one.Where(kv => figure.Owns(kv.Key)))
                {
                    merged.Set(key, value);
                }

                break;
            case FigureMergeKind.Sum:
                // A figure shard 1 has no value for (no faults, no reconciliation) has none merged either.
                foreach (var key in one.Where(kv => figure.Owns(kv.Key) && kv.Value is not null).Select(kv => kv.Key))
                {
                    merged.Set(key, shards.Figures.Sum(f => f.GetValueOrDefault(key) ?? 0));
                }

                break;
            case FigureMergeKind.UpperBound:
                foreach (var key in shards.Figures.SelectMany(f => f.Keys).Where(figure.Owns).Distinct().ToArray())
                {
                    merged.Set(key, shards.Figures.Select(f => f.GetValueOrDefault(key)).Max());
                }

                break;
            case FigureMergeKind.Scaled:
                foreach (var (key, value) in one.Where(kv => figure.Owns(kv.Key)))
                {
                    merged.Set(key, value * _factor!(shards));
                }

                break;
            default:
                throw new InvalidOperationException($"{figure.Name}: merge rule {Kind} is not implemented.");
        }
    }
}

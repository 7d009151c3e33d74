using PaySim.LoadEngine;

namespace PaySim.LoadTests.Claims;

/// <summary>
/// What the figures are computed from: one run's numbers (built by the runner), or a merged run's (built by the
/// shard merger, which fills only what shards can be merged into: the merged summary and histograms, binding and
/// wallet-call counts, the wallet census and the reconciliation; figures whose merge rule is not
/// <see cref="FigureMergeKind.Recompute"/> never read the rest of a merged run).
/// </summary>
internal sealed record FigureRun
{
    private FailoverResult? _failover;
    private (IReadOnlyList<CapacityStep> Steps, double? KneeRps, bool Reached)? _capacity;

    public required RunSummary Summary { get; init; }

    /// <summary>Every scenario's per-second points.</summary>
    public IReadOnlyList<TimeSeriesPoint> TimeSeries { get; init; } = [];

    /// <summary>Final outcome of each binding attempt: <see cref="BoundOutcome"/> or the wallet error code, with counts.</summary>
    public IReadOnlyDictionary<string, long> BindOutcomes { get; init; } = new Dictionary<string, long>();

    /// <summary>Final outcome of each step-up payment: <see cref="AuthenticatedOutcome"/> or its cause, with counts.</summary>
    public IReadOnlyDictionary<string, long> StepUpOutcomes { get; init; } = new Dictionary<string, long>();

    public long Resends { get; init; }

    /// <summary>Payments the issuer's risk rules declined, by <see cref="RiskCauses"/> cause.</summary>
    public IReadOnlyDictionary<string, long> RiskDeclines { get; init; } = new Dictionary<string, long>();
    /// <summary>Final outcome of each password reset: <see cref="ResetOutcome"/> or the cause of its failure, with counts.</summary>
    public IReadOnlyDictionary<string, long> ResetOutcomes { get; init; } = new Dictionary<string, long>();

    public long BoundAfterResend { get; init; }

    /// <summary>Wallet calls that reached the wallet, by step name.</summary>
    public IReadOnlyDictionary<string, long> WalletCalls { get; init; } = new Dictionary<string, long>();

    public IReadOnlyList<IssuerNodeCount> IssuerNodes { get; init; } = [];

    public IReadOnlyList<WalletInstanceCount> WalletInstances { get; init; } = [];

    /// <summary>Payments the issuer charged twice during the run (the simulator's invariants, after minus before).</summary>
    public long DuplicateCharges { get; init; }

    /// <summary>Authorize calls that sent a declined order again under a new key during the run (simulator invariants).</summary>
    public long DeclinedReattempts { get; init; }

    public bool MoneyConserved { get; init; }

    public double MemoryGrowthMb { get; init; }

    /// <summary>The reconciliation's figures by claim metric (null = not readable).</summary>
    public IReadOnlyDictionary<string, double?> Reconciliation { get; init; } = new Dictionary<string, double?>();

    /// <summary>Every fault and node event window, in plan order (faults, then node events).</summary>
    public IReadOnlyList<(TimeSpan Start, TimeSpan End)> FaultWindows { get; init; } = [];

    /// <summary>The earliest fault or node event start, or null when the plan injects none.</summary>
    public TimeSpan? FirstFaultStart { get; init; }

    public TimeSpan WarmUp { get; init; }

    public TimeSpan ClientTimeout { get; init; }

    /// <summary>The stepped open scenario of a capacity plan and its objectives, or null.</summary>
    public (string Scenario, IReadOnlyList<LoadSimulation> Load, IReadOnlyList<Expression> Objectives)? Capacity { get; init; }

    /// <summary>The outcome that counts as a bound card in <see cref="BindOutcomes"/>.</summary>
    public const string BoundOutcome = "bound";

    /// <summary>The outcome that counts as a completed step-up payment in <see cref="StepUpOutcomes"/>.</summary>
    public const string AuthenticatedOutcome = "authenticated";
    /// <summary>The outcome that counts as a reset password in <see cref="ResetOutcomes"/>.</summary>
    public const string ResetOutcome = "reset";

    /// <summary>Failover analysis of all scenarios' seconds together; null without faults.</summary>
    public FailoverResult? Failover =>
        FirstFaultStart is { } start ? _failover ??= FailoverDetector.Analyse(ToSeconds(TimeSeries), WarmUp, start, FaultWindows) : null;

    /// <summary>The capacity knee analysis of the stepped scenario; null for other plans.</summary>
    public (IReadOnlyList<CapacityStep> Steps, double? KneeRps, bool Reached)? CapacityResult =>
        Capacity is { } c ? _capacity ??= CapacityAnalysis.Analyse(c.Load, TimeSeries.Where(p => p.Scenario == c.Scenario).ToArray(), c.Objectives) : null;

    /// <summary>Sums every scenario's points per second (engine seconds are 1-based and cover (s-1, s]).</summary>
    public static IReadOnlyList<SecondSample> ToSeconds(IEnumerable<TimeSeriesPoint> points) =>
        points.GroupBy(p => p.Second)
            .OrderBy(g => g.Key)
            .Select(g => new SecondSample(g.Key - 1, g.Sum(p => p.Ok), g.Sum(p => p.Fail)))
            .ToArray();
}

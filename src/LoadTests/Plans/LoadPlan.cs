using System.Text.Json.Nodes;
using PaySim.LoadEngine;

namespace PaySim.LoadTests.Plans;

/// <summary>A validated plan with defaults applied and --duration/--rate/--seed overrides already scaled in.</summary>
internal sealed record LoadPlan
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    public required string Source { get; init; }

    public required TimeSpan Duration { get; init; }

    public required double Rate { get; init; }

    public required int Seed { get; init; }

    public required TimeSpan WarmUp { get; init; }

    public required PlanTarget Target { get; init; }

    public required IReadOnlyDictionary<string, double> Personas { get; init; }

    public required int PreboundCards { get; init; }

    public required ClientBehaviour Client { get; init; }

    public required IReadOnlyList<PlanScenario> Scenarios { get; init; }

    public required IReadOnlyList<TimedFaultRule> Faults { get; init; }

    public required IReadOnlyList<NodeEvent> NodeEvents { get; init; }

    public required IReadOnlyList<Claim> Claims { get; init; }

    public required IReadOnlyList<Expression> CapacityObjectives { get; init; }

    /// <summary>The issuer's risk rules the run applies before the load (<c>"risk"</c>), or null: the target's rules stay.</summary>
    public PaySim.Simulator.Risk.RiskRules? Risk { get; init; }

    /// <summary>The planted wallet defects this plan promises to fail on (<c>"catches"</c>); <c>selftest</c> checks the promise.</summary>
    public IReadOnlyList<PlanCatch> Catches { get; init; } = [];

    /// <summary>The longest wait after the load for holds and pending payments to settle before reconciling (not scaled by --duration).</summary>
    public TimeSpan Settle { get; init; } = PlanCompiler.DefaultSettle;

    /// <summary>The earliest start of any fault or node event, or null when the plan injects none.</summary>
    public TimeSpan? FirstFaultStart =>
        Faults.Select(f => (TimeSpan?)f.Start).Concat(NodeEvents.Select(e => (TimeSpan?)e.Start)).Min();

    /// <summary>The end of the last fault window (bounded by the run), or null without faults.</summary>
    public TimeSpan? LastFaultEnd =>
        Faults.Select(f => (TimeSpan?)(f.Start + (f.Duration ?? Duration - f.Start)))
            .Concat(NodeEvents.Select(e => (TimeSpan?)(e.Start + (e.Duration ?? Duration - e.Start))))
            .Max();
}

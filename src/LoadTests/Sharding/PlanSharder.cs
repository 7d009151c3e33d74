using PaySim.LoadEngine;
using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Sharding;

/// <summary>Cuts a compiled plan's load into one shard's share; everything else (claims, timeline, seed) stays.</summary>
internal static class PlanSharder
{
    public static LoadPlan Apply(LoadPlan plan, ShardSpec shard)
    {
        if (!shard.IsSharded)
        {
            return plan;
        }

        return plan with
        {
            Rate = plan.Rate / shard.Count,
            Scenarios = plan.Scenarios.Select(s => s with { Load = s.Load.Select(l => Split(l, shard)).ToArray() }).ToArray(),
        };
    }

    /// <summary>
    /// Open phases: rate / n (the engine spaces fractional rates exactly). Closed phases: copies and
    /// iteration counts split so the shards add up to the plan; a shard left with no copies pauses instead.
    /// </summary>
    public static LoadSimulation Split(LoadSimulation phase, ShardSpec shard)
    {
        switch (phase.Kind)
        {
            case LoadSimulationKind.Inject:
            case LoadSimulationKind.RampingInject:
            case LoadSimulationKind.InjectRandom:
                return phase.Scale(1.0 / shard.Count);
            case LoadSimulationKind.KeepConstant:
                return shard.Share(phase.Copies) is var kc and > 0 ? LoadSimulation.KeepConstant(kc, phase.During) : LoadSimulation.Pause(phase.During);
            case LoadSimulationKind.RampingConstant:
                // A ramp to 0 copies is still a valid ramp down, so it keeps its shape.
                return LoadSimulation.RampingConstant(shard.Share(phase.Copies), phase.During);
            case LoadSimulationKind.Iterations:
                var count = shard.Share(phase.IterationCount);
                var copies = (int)Math.Min(count, Math.Max(1, shard.Share(phase.Copies)));
                // Zero iterations for this shard: a 1 ms pause keeps the scenario valid and adds nothing.
                return count == 0 ? LoadSimulation.Pause(TimeSpan.FromMilliseconds(1)) : LoadSimulation.Iterations(copies, count);
            default:
                return phase;
        }
    }
}

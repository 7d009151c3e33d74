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

        if (NoLoadReason(plan, shard) is { } reason)
        {
            var most = Enumerable.Range(1, shard.Count - 1).Reverse().FirstOrDefault(n => NoLoadReason(plan, new ShardSpec(n, n)) is null, 1);
            throw new PlanException($"--shard {shard}: this shard would get no load ({reason}); use at most {most} shard{(most == 1 ? string.Empty : "s")} for this plan.");
        }

        return Cut(plan, shard);
    }

    private static LoadPlan Cut(LoadPlan plan, ShardSpec shard) =>
        plan with
        {
            Rate = plan.Rate / shard.Count,
            Scenarios = plan.Scenarios.Select(s => s with { Load = s.Load.Select(l => Split(l, shard)).ToArray() }).ToArray(),
        };

    /// <summary>
    /// Why this shard's share of the load is nothing at all, or null when it has some: no copies and no count in any closed
    /// phase of any scenario, and open phases whose divided rate would start no iteration in the measured window (after the
    /// warm-up, before the end; the engine starts the k-th iteration where the rate's integral reaches k, the first at 0 s).
    /// Such a shard would judge nothing (exit 3) while the shards together still run the plan, so it is refused up front.
    /// </summary>
    internal static string? NoLoadReason(LoadPlan plan, ShardSpec shard)
    {
        string? first = null;
        foreach (var scenario in plan.Scenarios)
        {
            var mine = scenario.Load.Select(l => Split(l, shard)).ToArray();
            if (mine.Any(l => !l.IsOpen && PaySim.LoadTests.Plans.ScenarioCompiler.SendsLoad(l))
                || (mine.Any(l => l.IsOpen) && OpenStartsInWindow(mine, plan.WarmUp, plan.Duration)))
            {
                return null;
            }

            first ??= Reason(scenario, plan, shard);
        }

        return first ?? "no scenario sends load";
    }

    private static string Reason(PlanScenario scenario, LoadPlan plan, ShardSpec shard)
    {
        if (scenario.Load.Any(l => l.IsOpen))
        {
            var peak = scenario.Load.Where(l => l.IsOpen).Max(l => Math.Max(l.RatePerSecond, l.MaxRatePerSecond));
            return $"scenario {scenario.Name}'s {RateText.Format(peak)}/s over {shard.Count} shards is {RateText.Format(peak / shard.Count)}/s here, "
                + $"which starts no iteration between the {DurationText.Format(plan.WarmUp)} warm-up and the {DurationText.Format(plan.Duration)} end";
        }

        var most = scenario.Load.Max(l => l.Kind == LoadSimulationKind.Iterations ? Math.Min(l.IterationCount, (long)l.Copies) : l.Copies);
        return most == 1
            ? $"scenario {scenario.Name}'s 1 copy goes to shard 1"
            : $"scenario {scenario.Name}'s {most} copies go to shards 1-{most}";
    }

    /// <summary>Whether open phases start an iteration in [warm-up, end): arrival k is where Λ(t) = ∫rate reaches k.</summary>
    private static bool OpenStartsInWindow(IReadOnlyList<LoadSimulation> phases, TimeSpan warmUp, TimeSpan duration)
    {
        const double epsilon = 1e-7;
        double t = 0, cumulative = 0, previousRate = 0, atWarmUp = double.NaN;
        var w = warmUp.TotalSeconds;
        var end = duration.TotalSeconds;
        foreach (var phase in phases)
        {
            var d = Math.Min(phase.During.TotalSeconds, Math.Max(0, end - t));
            var (r0, r1) = phase.Kind switch
            {
                LoadSimulationKind.Inject => (phase.RatePerSecond, phase.RatePerSecond),
                LoadSimulationKind.RampingInject => (previousRate, phase.RatePerSecond),
                LoadSimulationKind.InjectRandom => (phase.MaxRatePerSecond, phase.MaxRatePerSecond), // the most it could start
                _ => (0.0, 0.0),
            };
            if (double.IsNaN(atWarmUp) && w < t + d && d > 0)
            {
                var tau = w - t;
                atWarmUp = cumulative + (r0 * tau) + ((r1 - r0) / d * tau * tau / 2);
            }

            cumulative += (r0 + r1) / 2 * d;
            previousRate = r1;
            t += d;
        }

        if (double.IsNaN(atWarmUp))
        {
            return false; // the warm-up outlasts the load
        }

        // Arrivals k = 0, 1, … with k < Λ(end); those at or after the warm-up have k >= Λ(warm-up).
        return Math.Ceiling(cumulative - epsilon) - Math.Ceiling(atWarmUp - epsilon) >= 1;
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

using System.Globalization;
using PaySim.LoadEngine;
using PaySim.LoadTests.Plans.Documents;

namespace PaySim.LoadTests.Plans;

/// <summary>The plan's <c>scenarios</c>: names, weights, journey mixes, and each one's load (the plan's rate shared by weight, or its own <see cref="LoadCompiler">load</see>).</summary>
internal static class ScenarioCompiler
{
    public static List<PlanScenario> Compile(PlanDocument doc, string p, TimeSpan planDuration, double? rateOverride, Func<TimeSpan, TimeSpan> scale, out double totalRate)
    {
        if (doc.Scenarios is not { Count: > 0 })
        {
            throw new PlanException($"{p} scenarios: at least one scenario is required; allowed names: {KnownNames.List(KnownNames.Scenarios)}.");
        }

        var needsRate = doc.Scenarios.Any(s => s.Load is null);
        if (needsRate && doc.Rate is null)
        {
            throw new PlanException($"{p} rate: required (iterations per second) when a scenario has no \"load\" of its own.");
        }

        if (needsRate && doc.Rate == 0 && rateOverride is null)
        {
            throw new PlanException($"{p} rate: 0 would send no load to the scenarios without a \"load\" of their own; give a rate above 0 (iterations per second).");
        }

        var planRate = doc.Rate ?? ExplicitPeakRate(doc);
        totalRate = rateOverride ?? planRate;
        var rateScale = planRate > 0 ? totalRate / planRate : 1;
        var defaultWeightSum = doc.Scenarios.Where(s => s.Load is null).Sum(s => s.Weight ?? 1);

        var result = new List<PlanScenario>();
        for (var i = 0; i < doc.Scenarios.Count; i++)
        {
            var s = doc.Scenarios[i];
            var f = $"{p} scenarios[{i}]";
            if (s.Name is null || !KnownNames.Scenarios.Contains(s.Name))
            {
                throw new PlanException($"{f}.name: \"{s.Name}\" is not a scenario; allowed: {KnownNames.List(KnownNames.Scenarios)}.");
            }

            if (result.Any(r => r.Name == s.Name))
            {
                throw new PlanException($"{f}.name: \"{s.Name}\" appears twice; give each scenario once and use weights.");
            }

            var weight = s.Weight ?? 1;
            if (!double.IsFinite(weight) || weight <= 0 || weight > PlanCompiler.MaxWeight)
            {
                throw new PlanException($"{f}.weight: must be a number > 0 and at most {PlanCompiler.MaxWeight}, got {weight.ToString(CultureInfo.InvariantCulture)}.");
            }

            if (s.MaxConcurrency is < 1)
            {
                throw new PlanException($"{f}.maxConcurrency: must be >= 1, got {s.MaxConcurrency}.");
            }

            var kind = KnownNames.ParseScenario(s.Name);
            var mix = new Dictionary<ScenarioKind, double>();
            if (s.Mix is not null)
            {
                if (kind != ScenarioKind.Journey)
                {
                    throw new PlanException($"{f}.mix: only the journey scenario has a mix.");
                }

                foreach (var (action, w) in s.Mix)
                {
                    if (!KnownNames.JourneyActions.Contains(action))
                    {
                        throw new PlanException($"{f}.mix.{action}: unknown action; allowed: {KnownNames.List(KnownNames.JourneyActions)}.");
                    }

                    if (!double.IsFinite(w) || w < 0 || w > PlanCompiler.MaxWeight)
                    {
                        throw new PlanException($"{f}.mix.{action}: weight must be a number from 0 to {PlanCompiler.MaxWeight}.");
                    }

                    if (w > 0)
                    {
                        mix[KnownNames.ParseScenario(action)] = w;
                    }
                }

                if (mix.Count == 0)
                {
                    throw new PlanException($"{f}.mix: at least one weight must be > 0.");
                }
            }
            else if (kind == ScenarioKind.Journey)
            {
                // A day in a wallet: mostly payments and looking at the history, a few sign-ups and refunds.
                mix[ScenarioKind.Payment] = 60;
                mix[ScenarioKind.History] = 25;
                mix[ScenarioKind.Onboarding] = 10;
                mix[ScenarioKind.Refund] = 5;
            }

            IReadOnlyList<LoadSimulation> load;
            if (s.Load is null)
            {
                var rate = totalRate * (weight / defaultWeightSum);
                load = [LoadSimulation.Inject(rate, TimeSpan.FromSeconds(1), scale(planDuration))];
            }
            else
            {
                load = LoadCompiler.Compile(s.Load, f, rateScale, scale);

                // The run ends when its scenarios do: phases longer than the duration would run past it (and past its limit).
                var phases = s.Load.Select(l => l.During is { } d && DurationText.TryParse(d, out var t) ? t : TimeSpan.Zero).Aggregate(TimeSpan.Zero, (a, b) => a + b);
                if (phases > planDuration)
                {
                    throw new PlanException($"{f}.load: the phases add up to {DurationText.Format(phases)}, longer than the plan's duration ({DurationText.Format(planDuration)}); the run lasts its duration: shorten the phases or raise \"duration\".");
                }
            }

            result.Add(new PlanScenario(kind, s.Name, weight, load, mix, s.MaxConcurrency ?? ScenarioProps.DefaultMaxConcurrency));
        }

        // A phase at 0 (a pause between phases) is fine; phases that all together send nothing would run and judge an
        // empty run, which must not read as a pass: refused like "rate": 0.
        if (result.All(r => r.Load.All(l => !SendsLoad(l))))
        {
            var i = doc.Scenarios.FindIndex(s => s.Load is not null);
            throw new PlanException($"{p} scenarios[{i}].load: every phase sends no load (rate 0, copies 0, count 0 or pause){(result.Count > 1 ? " and so do the other scenarios" : string.Empty)}, so the run would judge nothing; give a phase a rate, copies or count above 0.");
        }

        return result;
    }

    /// <summary>Whether a phase starts any iteration: an inject phase with a rate (or maxRate) above 0, a closed phase with copies (and a count) above 0.</summary>
    internal static bool SendsLoad(LoadSimulation l) => l.Kind switch
    {
        LoadSimulationKind.Inject or LoadSimulationKind.RampingInject => l.Rate > 0,
        LoadSimulationKind.InjectRandom => l.MaxRate > 0,
        LoadSimulationKind.KeepConstant or LoadSimulationKind.RampingConstant => l.Copies > 0,
        LoadSimulationKind.Iterations => l.Copies > 0 && l.IterationCount > 0,
        _ => false,
    };

    private static double ExplicitPeakRate(PlanDocument doc) =>
        doc.Scenarios!.Sum(s => s.Load?.Where(l => l.Kind is "inject" or "rampingInject" or "injectRandom")
            .Select(l => Math.Max(l.Rate ?? 0, l.MaxRate ?? 0) / (l.Interval is null ? 1 : Math.Max(0.001, DurationText.TryParse(l.Interval, out var i) ? i.TotalSeconds : 1)))
            .DefaultIfEmpty(0).Max() ?? 0);
}

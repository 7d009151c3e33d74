using PaySim.LoadEngine;
using PaySim.LoadTests.Plans.Documents;

namespace PaySim.LoadTests.Plans;

/// <summary>A scenario's <c>load</c>: its phases as the load engine's simulations, rates and times scaled by the overrides.</summary>
internal static class LoadCompiler
{
    /// <summary>The fields each phase kind reads; another field set on a phase would be silently ignored, so it is refused.</summary>
    internal static readonly Dictionary<string, string[]> FieldsByKind = new(StringComparer.Ordinal)
    {
        ["inject"] = ["rate", "interval", "during"],
        ["rampingInject"] = ["rate", "interval", "during"],
        ["injectRandom"] = ["rate", "maxRate", "interval", "during"],
        ["pause"] = ["during"],
        ["keepConstant"] = ["copies", "during"],
        ["rampingConstant"] = ["copies", "during"],
        ["iterations"] = ["copies", "count"],
    };

    public static List<LoadSimulation> Compile(List<PlanLoadDocument> phases, string f, double rateScale, Func<TimeSpan, TimeSpan> scale)
    {
        if (phases.Count == 0)
        {
            throw new PlanException($"{f}.load: at least one phase is required, or leave \"load\" out for the plan's rate.");
        }

        var list = new List<LoadSimulation>();
        for (var i = 0; i < phases.Count; i++)
        {
            var l = phases[i];
            var g = $"{f}.load[{i}]";
            TimeSpan During() => scale(Positive(DurationText.Parse(l.During ?? throw new PlanException($"{g}.during: required for {l.Kind}."), $"{g}.during"), $"{g}.during"));
            TimeSpan Interval() => l.Interval is null ? TimeSpan.FromSeconds(1) : Positive(DurationText.Parse(l.Interval, $"{g}.interval"), $"{g}.interval");
            double Rate(double? v, string name) => v is { } x && double.IsFinite(x) && x >= 0
                ? x * rateScale
                : throw new PlanException(v is { } given
                    ? $"{g}.{name}: must be a number >= 0 per interval, got {given.ToString(System.Globalization.CultureInfo.InvariantCulture)}."
                    : $"{g}.{name}: required, a number >= 0 per interval.");
            int Copies(int min = 0) => l.Copies is { } c && c >= min ? c : throw new PlanException($"{g}.copies: required for {l.Kind}, a whole number >= {min}{(l.Copies is { } bad ? $", got {bad}" : string.Empty)}.");
            double AtLeastRate(double maxRate) => maxRate >= Rate(l.Rate, "rate")
                ? maxRate
                : throw new PlanException($"{g}.maxRate: must be at least rate ({l.Rate?.ToString(System.Globalization.CultureInfo.InvariantCulture)}), got {l.MaxRate?.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
            CheckFields(l, g);

            LoadSimulation sim = l.Kind switch
            {
                "inject" => LoadSimulation.Inject(Rate(l.Rate, "rate"), Interval(), During()),
                "rampingInject" => LoadSimulation.RampingInject(Rate(l.Rate, "rate"), Interval(), During()),
                "injectRandom" => LoadSimulation.InjectRandom(Rate(l.Rate, "rate"), AtLeastRate(Rate(l.MaxRate, "maxRate")), Interval(), During()),
                "pause" => LoadSimulation.Pause(During()),
                "keepConstant" => LoadSimulation.KeepConstant(Copies(), During()),
                "rampingConstant" => LoadSimulation.RampingConstant(Copies(), During()),
                "iterations" => LoadSimulation.Iterations(Copies(min: 1), l.Count is { } n && n >= 0 ? n : throw new PlanException($"{g}.count: required, a number >= 0.")),
                _ => throw new PlanException($"{g}.kind: \"{l.Kind}\" is not a load simulation; allowed: {KnownNames.List(KnownNames.LoadKinds)}."),
            };
            list.Add(sim);
        }

        if (list.Any(x => x.IsOpen) && list.Any(x => x.IsClosed))
        {
            throw new PlanException($"{f}.load: mixes open (inject*) and closed (keepConstant, rampingConstant, iterations) phases; a scenario is one or the other.");
        }

        return list;
    }

    // What the engine would refuse only once the run starts (LoadSimulation.Validate), refused here with the plan's field, dry run too.
    private static TimeSpan Positive(TimeSpan value, string field) =>
        value > TimeSpan.Zero ? value : throw new PlanException($"{field}: must be more than 0.");

    private static void CheckFields(PlanLoadDocument phase, string g)
    {
        if (phase.Kind is null || !FieldsByKind.TryGetValue(phase.Kind, out var allowed))
        {
            return;
        }

        var given = new (string Name, bool Set)[]
        {
            ("rate", phase.Rate is not null), ("maxRate", phase.MaxRate is not null), ("interval", phase.Interval is not null),
            ("during", phase.During is not null), ("copies", phase.Copies is not null), ("count", phase.Count is not null),
        };
        foreach (var (name, set) in given)
        {
            if (set && !allowed.Contains(name))
            {
                var takers = FieldsByKind.Where(k => k.Value.Contains(name)).Select(k => k.Key);
                throw new PlanException($"{g}.{name}: not read by {phase.Kind} phases (they take {KnownNames.List(allowed)}); {name} is only for {KnownNames.List(takers)} phases.");
            }
        }
    }
}

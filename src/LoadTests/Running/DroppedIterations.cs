using System.Globalization;
using PaySim.LoadEngine;
using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Running;

/// <summary>
/// Open-model iterations the engine dropped (the scenario's <c>maxConcurrency</c> was reached): load the plan asked
/// for and never sent. The verdict stays the claims' (k6 too only warns of dropped iterations), but a run that sent a
/// fraction of its load must not pass silently: above <see cref="Share"/> of the planned iterations it warns.
/// </summary>
internal static class DroppedIterations
{
    /// <summary>The share of a scenario's planned iterations dropped above which the run warns.</summary>
    public const double Share = 0.01;

    /// <summary>How the warning begins: tests and scripts tell it from the run's other warnings by it.</summary>
    public const string WarningStart = "dropped iterations";

    /// <summary>One warning line per scenario that dropped more than <see cref="Share"/> of its planned iterations.</summary>
    public static IEnumerable<string> Warnings(RunSummary summary, IReadOnlyList<PlanScenario> scenarios)
    {
        foreach (var s in summary.Scenarios)
        {
            var started = s.Ok + s.Fail;
            var planned = started + s.Dropped;
            if (s.Dropped == 0 || s.Dropped <= planned * Share)
            {
                continue;
            }

            var seconds = s.DurationS > 0 ? s.DurationS : summary.DurationS;
            var scenario = scenarios.FirstOrDefault(p => p.Name == s.Name);
            var maxConcurrency = scenario?.MaxConcurrency;
            var asked = AskedRate(scenario) is { } rate ? $"{RateText.Format(rate)}/s" : FormattableString.Invariant($"about {planned / seconds:0.##}/s");
            var rates = seconds > 0 ? FormattableString.Invariant($": asked {asked}, achieved {started / seconds:0.##}/s") : string.Empty;
            var share = ((double)s.Dropped / planned).ToString("0.#%", CultureInfo.InvariantCulture);
            yield return $"{WarningStart}: scenario {s.Name} dropped {s.Dropped} of {planned} planned iterations ({share}) and never sent them{rates}"
                + $"; its maxConcurrency{(maxConcurrency is { } m ? $" ({m})" : string.Empty)} was reached. The verdict does not count them: add the claim \"dropped == 0\" (or \"scenario:{s.Name} dropped == 0\") to fail such a run, or raise maxConcurrency.";
        }
    }

    /// <summary>
    /// The scenario's compiled rate when it asks one constant rate (every phase an <c>inject</c> at the same rate per
    /// second), else null: planned ÷ measured seconds is then only about the asked rate (100/s over a measured window a
    /// hair longer than its arrivals reads 99.77/s), and the line says "about".
    /// </summary>
    private static double? AskedRate(PlanScenario? scenario)
    {
        if (scenario is null || scenario.Load.Count == 0 || scenario.Load.Any(l => l.Kind != LoadSimulationKind.Inject))
        {
            return null;
        }

        var rate = scenario.Load[0].RatePerSecond;
        return scenario.Load.All(l => l.RatePerSecond == rate) ? rate : null;
    }
}

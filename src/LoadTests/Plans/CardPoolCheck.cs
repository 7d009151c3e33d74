using System.Globalization;
using PaySim.Simulator.Risk;

namespace PaySim.LoadTests.Plans;

/// <summary>
/// Warns before the load when the plan's card pool is too small for its payment rate under the issuer's velocity rule:
/// the run's payments go round its pre-bound cards, so rate × window ÷ cards is what each card sees in one velocity
/// window; above the rule's count the issuer declines (65) payments that real users, each paying with their own card,
/// never would. A warning, not a failure: a plan may mean to show exactly that (plans/risk.json).
/// </summary>
internal static class CardPoolCheck
{
    /// <summary>The one-line warning, or null when the pool is big enough (or no velocity rule, or no open-model payments).</summary>
    public static string? Warning(LoadPlan plan, RiskRules? rules)
    {
        if (rules?.Velocity is not { } velocity || plan.PreboundCards <= 0)
        {
            return null;
        }

        var rate = PaymentRate(plan);
        var window = velocity.Window.TotalSeconds;
        var perCard = rate * window / plan.PreboundCards;
        if (perCard <= velocity.Limit)
        {
            return null;
        }

        var cards = (int)Math.Ceiling(rate * window / velocity.Limit);
        var maxRate = velocity.Limit * plan.PreboundCards / window;
        var count = (long)Math.Ceiling(perCard);
        var w = DurationText.Format(velocity.Window);
        return $"card pool too small for the issuer's velocity rule: {N(rate)} payments/s over {plan.PreboundCards} pre-bound cards is {N(perCard)} payments per card "
            + $"in the rule's {w} window, more than its count of {velocity.Limit}, so the issuer will decline (65) payments real users would not trip; "
            + $"to avoid it use preboundCards >= {cards}, a payment rate of at most {N(maxRate)}/s, or a velocity count of at least {count} per {w}.";
    }

    /// <summary>
    /// The peak rate of iterations that pay, per second: payment and refund scenarios (a refund pays first), and a journey's
    /// share of payment and refund actions. Closed-model scenarios have no rate of their own and are left out.
    /// </summary>
    public static double PaymentRate(LoadPlan plan) =>
        plan.Scenarios.Sum(s => PayingShare(s) * s.Load.Where(l => l.IsOpen).Select(l => Math.Max(l.RatePerSecond, l.MaxRatePerSecond)).DefaultIfEmpty(0).Max());

    private static double PayingShare(PlanScenario s) => s.Kind switch
    {
        ScenarioKind.Payment or ScenarioKind.Refund => 1,
        ScenarioKind.Journey when s.Mix.Values.Sum() is var total and > 0 =>
            (s.Mix.GetValueOrDefault(ScenarioKind.Payment) + s.Mix.GetValueOrDefault(ScenarioKind.Refund)) / total,
        _ => 0,
    };

    private static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}

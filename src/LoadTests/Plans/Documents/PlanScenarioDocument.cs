namespace PaySim.LoadTests.Plans.Documents;

internal sealed class PlanScenarioDocument
{
    /// <summary>onboarding, payment, refund, history, password-reset, qr-pay or journey.</summary>
    public string? Name { get; set; }

    public double? Weight { get; set; }

    /// <summary>Explicit load phases; absent = inject (plan rate × weight share) for the plan duration.</summary>
    public List<PlanLoadDocument>? Load { get; set; }

    /// <summary>journey only: action → weight (onboarding, payment, refund, history, password-reset, qr-pay).</summary>
    public Dictionary<string, double>? Mix { get; set; }

    public int? MaxConcurrency { get; set; }
}

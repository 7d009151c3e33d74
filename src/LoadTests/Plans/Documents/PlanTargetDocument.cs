namespace PaySim.LoadTests.Plans.Documents;

/// <summary>Exactly one of embedded or external.</summary>
internal sealed class PlanTargetDocument
{
    public PlanEmbeddedDocument? Embedded { get; set; }

    public PlanExternalDocument? External { get; set; }
}

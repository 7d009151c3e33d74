namespace PaySim.LoadTests.Plans;

/// <summary>Takes an issuer node down (connection refused) or NOT_SERVING at "start" for "duration".</summary>
internal sealed class PlanNodeEventDocument
{
    public string? Node { get; set; }

    /// <summary>down or notServing.</summary>
    public string? State { get; set; }

    public string? Start { get; set; }

    public string? Duration { get; set; }
}

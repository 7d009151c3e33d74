namespace PaySim.LoadTests.Plans.Documents;

/// <summary>One load phase: the engine's load simulations by name.</summary>
internal sealed class PlanLoadDocument
{
    /// <summary>inject, rampingInject, injectRandom, pause, keepConstant, rampingConstant, iterations.</summary>
    public string? Kind { get; set; }

    public double? Rate { get; set; }

    public double? MaxRate { get; set; }

    public string? Interval { get; set; }

    public string? During { get; set; }

    public int? Copies { get; set; }

    public long? Count { get; set; }
}

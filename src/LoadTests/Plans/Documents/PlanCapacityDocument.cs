namespace PaySim.LoadTests.Plans.Documents;

/// <summary>For stepped-rate plans: the objective each step must meet; the knee is the last step that does.</summary>
internal sealed class PlanCapacityDocument
{
    /// <summary>Per-step objectives, e.g. ["p99 &lt; 300ms", "ok_rate &gt;= 99%"].</summary>
    public List<string>? Objectives { get; set; }
}

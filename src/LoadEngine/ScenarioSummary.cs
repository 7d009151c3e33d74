namespace PaySim.LoadEngine;

public sealed class ScenarioSummary : StepSummary
{
    /// <summary>Open model: iterations that were due but not started because maxConcurrency was reached.</summary>
    [System.Text.Json.Serialization.JsonPropertyOrder(1)]
    public long Dropped { get; set; }

    [System.Text.Json.Serialization.JsonPropertyOrder(2)]
    public List<StepSummary> Steps { get; set; } = [];

    /// <summary>
    /// A threshold metric of this scenario ("p99", "ok_rate", "dropped", "status[51]") or of a step
    /// ("step:confirm/p95"); durations in ms, rates as fractions; null if unknown or not measured.
    /// </summary>
    public double? GetMetric(string key) => Running.ThresholdMetrics.Lookup(this, key);
}

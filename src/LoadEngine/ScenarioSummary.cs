namespace PaySim.LoadEngine;

public sealed class ScenarioSummary : StepSummary
{
    /// <summary>Open model: iterations that were due but not started because maxConcurrency was reached.</summary>
    [System.Text.Json.Serialization.JsonPropertyOrder(1)]
    public long Dropped { get; set; }

    /// <summary>
    /// The generator's own delay, in ms: the latest an open-model iteration began after its intended start, or (either
    /// model) the longest the harness's thread pool kept work waiting, measured by a probe every 10 ms. Latency counts
    /// from the intended start (open) or includes the wait of each continuation (both), so a late generator (a starved
    /// machine) adds this much to what it measures.
    /// </summary>
    [System.Text.Json.Serialization.JsonPropertyOrder(2)]
    public double MaxStartLagMs { get; set; }

    [System.Text.Json.Serialization.JsonPropertyOrder(3)]
    public List<StepSummary> Steps { get; set; } = [];

    /// <summary>
    /// A threshold metric of this scenario ("p99", "ok_rate", "dropped", "status[51]") or of a step
    /// ("step:confirm/p95"); durations in ms, rates as fractions; null if unknown or not measured.
    /// </summary>
    public double? GetMetric(string key) => Running.ThresholdMetrics.Lookup(this, key);
}

namespace PaySim.LoadEngine;

/// <summary>One scenario's statistics over one second (iterations counted when they complete).</summary>
public sealed record TimeSeriesPoint
{
    /// <summary>1-based index of the second since the run started (the point covers (Second-1, Second]).</summary>
    public int Second { get; init; }

    public double ElapsedS { get; init; }

    public string Scenario { get; init; } = string.Empty;

    public long Requests { get; init; }

    public long Ok { get; init; }

    public long Fail { get; init; }

    public long Dropped { get; init; }

    public double Rps { get; init; }

    /// <summary>Median latency of the iterations completed in the second; 0 when <see cref="Requests"/> is 0 (no measurement, not a zero).</summary>
    public double P50Ms { get; init; }

    /// <summary>99th percentile latency of the iterations completed in the second; 0 when <see cref="Requests"/> is 0.</summary>
    public double P99Ms { get; init; }

    /// <summary>
    /// The generator's own delay in the second, in ms: the latest an open-model iteration began after its intended
    /// start, or (either model) the longest the harness's thread pool kept the dispatch probe waiting. Above a few ms
    /// the generator, not the target, was behind: its latencies include that delay.
    /// </summary>
    public double MaxStartLagMs { get; init; }

    /// <summary>Iterations in flight (open) or active copies (closed) at the end of the second.</summary>
    public long Concurrency { get; init; }

    /// <summary>
    /// Open model: the rate the load simulations asked for over this point's interval (intended starts per
    /// second, warm-up included), to set against <see cref="Rps"/>. Null for closed-model scenarios, which have no target rate.
    /// </summary>
    public double? TargetRps { get; init; }

    /// <summary>Each step that completed at least once in the second, by name.</summary>
    public IReadOnlyList<StepPoint> Steps { get; init; } = [];
}

/// <summary>One step's statistics over one second of a <see cref="TimeSeriesPoint"/>.</summary>
public sealed record StepPoint
{
    public string Name { get; init; } = string.Empty;

    public long Requests { get; init; }

    public long Ok { get; init; }

    public long Fail { get; init; }

    public double P50Ms { get; init; }

    public double P99Ms { get; init; }
}

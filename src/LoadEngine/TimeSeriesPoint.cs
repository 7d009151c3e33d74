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

    public double P50Ms { get; init; }

    public double P99Ms { get; init; }

    /// <summary>Iterations in flight (open) or active copies (closed) at the end of the second.</summary>
    public long Concurrency { get; init; }
}

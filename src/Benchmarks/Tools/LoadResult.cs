using System.Text.Json;

namespace PaySim.Benchmarks.Tools;

/// <summary>What every client tool prints as its last line: one JSON object that perf.sh reads with jq.</summary>
internal sealed record LoadResult(
    string Tool, double Rps, long Ok, long Fail, long Dropped, double Seconds, double P50Ms, double P99Ms)
{
    /// <summary>With <c>--warmup stable</c>: how long the warm-up took until two one-second windows agreed within 3%.</summary>
    public double? WarmupSeconds { get; init; }

    /// <summary>With <c>--warmup stable</c>: false when the rate never settled within the cap.</summary>
    public bool? WarmupStable { get; init; }

    /// <summary>This result with a stable warm-up's report attached (unchanged when there was none).</summary>
    public LoadResult WithWarmup(WarmupReport? warmup) =>
        warmup is null ? this : this with { WarmupSeconds = Math.Round(warmup.Seconds, 2), WarmupStable = warmup.Stable };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

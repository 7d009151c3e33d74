using System.Text.Json;

namespace PaySim.Benchmarks.Tools;

/// <summary>What every client tool prints as its last line: one JSON object that perf.sh reads with jq.</summary>
internal sealed record LoadResult(
    string Tool, double Rps, long Ok, long Fail, long Dropped, double Seconds, double P50Ms, double P99Ms)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

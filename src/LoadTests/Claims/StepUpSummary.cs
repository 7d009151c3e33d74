using System.Text.Json.Nodes;

namespace PaySim.LoadTests.Claims;

/// <summary>
/// summary.json's <c>stepUps</c>: attempts, completed, their share and every outcome by cause. A run writes it from its
/// counters; the shard merger sums the shards' <c>byCause</c> and writes it again, then recomputes the figures from it.
/// </summary>
internal static class StepUpSummary
{
    public static JsonObject ToJson(IReadOnlyDictionary<string, long> outcomes)
    {
        var attempts = outcomes.Values.Sum();
        var authenticated = outcomes.GetValueOrDefault(FigureRun.AuthenticatedOutcome);
        return new JsonObject
        {
            ["attempts"] = attempts,
            ["authenticated"] = authenticated,
            ["successRate"] = attempts == 0 ? null : Math.Round((double)authenticated / attempts, 4),
            ["byCause"] = new JsonObject(outcomes.Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value))),
        };
    }
}

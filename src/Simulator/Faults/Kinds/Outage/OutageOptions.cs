using System.Text.Json;

namespace PaySim.Simulator.Faults.Kinds.Outage;

/// <summary>
/// <c>"outage": {}</c>: while the rule is active (see <c>start</c>/<c>duration</c>) the node stops
/// listening (new connections refused, existing ones closed); it listens again when the rule ends.
/// <c>"notServing": {}</c> uses the same (empty) options: the health service says NOT_SERVING.
/// </summary>
public sealed class OutageOptions
{
    public static readonly OutageOptions Instance = new();

    private OutageOptions()
    {
    }

    internal static OutageOptions? Read(JsonElement value, string path, FaultRuleErrors errors)
    {
        if (value.ValueKind == JsonValueKind.True)
        {
            return Instance;
        }

        return FaultJson.CheckObject(value, path, [], errors) ? Instance : null;
    }
}

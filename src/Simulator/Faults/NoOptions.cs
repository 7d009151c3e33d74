using System.Text.Json;

namespace PaySim.Simulator.Faults;

/// <summary>The options of a kind that has none: <c>{}</c> or <c>true</c> (outage, notServing, smsDrop).</summary>
internal sealed class NoOptions
{
    public static readonly NoOptions Instance = new();

    private NoOptions()
    {
    }

    public static NoOptions? Read(JsonElement value, string path, FaultRuleErrors errors) =>
        value.ValueKind == JsonValueKind.True || FaultJson.CheckObject(value, path, [], errors) ? Instance : null;
}

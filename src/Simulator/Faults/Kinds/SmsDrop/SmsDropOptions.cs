using System.Text.Json;

namespace PaySim.Simulator.Faults.Kinds.SmsDrop;

/// <summary><c>"smsDrop": {}</c>: the gateway accepts the message and never delivers it.</summary>
public sealed class SmsDropOptions
{
    public static readonly SmsDropOptions Instance = new();

    private SmsDropOptions()
    {
    }

    internal static SmsDropOptions? Read(JsonElement value, string path, FaultRuleErrors errors) =>
        value.ValueKind == JsonValueKind.True || FaultJson.CheckObject(value, path, [], errors) ? Instance : null;
}

using System.Text.Json;

namespace PaySim.Simulator.Faults.Kinds.SmsDuplicate;

/// <summary><c>"smsDuplicate": { "copies": 2 }</c>: the phone receives the same message this many times.</summary>
public sealed class SmsDuplicateOptions
{
    private static readonly string[] Fields = ["copies"];

    public SmsDuplicateOptions(int copies = 2)
    {
        Copies = copies;
    }

    public int Copies { get; }

    internal static SmsDuplicateOptions? Read(JsonElement value, string path, FaultRuleErrors errors)
    {
        if (value.ValueKind == JsonValueKind.True)
        {
            return new SmsDuplicateOptions();
        }

        if (!FaultJson.CheckObject(value, path, Fields, errors))
        {
            return null;
        }

        var before = errors.Count;
        var copies = FaultJson.ReadInteger(value, "copies", path, errors, 2, 10);
        return errors.Count == before ? new SmsDuplicateOptions(copies is { } c ? (int)c : 2) : null;
    }
}

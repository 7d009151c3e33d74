using System.Text.Json;

namespace PaySim.Simulator.Faults.Kinds.Corrupt;

/// <summary><c>"corrupt": {}</c> or <c>{ "mode": "garble" | "truncate" }</c> (default garble).</summary>
internal sealed class CorruptOptions(CorruptMode mode = CorruptMode.Garble)
{
    private static readonly string[] Fields = ["mode"];

    public CorruptMode Mode { get; } = mode;

    /// <summary>The name the journal and the docs use ("garble").</summary>
    public string ModeName => Mode == CorruptMode.Garble ? "garble" : "truncate";

    internal static CorruptOptions? Read(JsonElement value, string path, FaultRuleErrors errors)
    {
        if (value.ValueKind == JsonValueKind.True)
        {
            return new CorruptOptions();
        }

        if (!FaultJson.CheckObject(value, path, Fields, errors))
        {
            return null;
        }

        var mode = FaultJson.ReadString(value, "mode", path, errors);
        switch (mode)
        {
            case null when !FaultJson.TryGet(value, "mode", out _):
            case "garble":
                return new CorruptOptions();
            case "truncate":
                return new CorruptOptions(CorruptMode.Truncate);
            case null:
                return null;
            default:
                errors.Add(FaultJson.Join(path, "mode"), $"\"{mode}\" is not allowed; allowed: garble, truncate");
                return null;
        }
    }
}

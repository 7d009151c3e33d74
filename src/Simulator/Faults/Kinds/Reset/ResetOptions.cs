using System.Text.Json;

namespace PaySim.Simulator.Faults.Kinds.Reset;

/// <summary>
/// <c>"reset": { "when": "before" | "after" }</c>: abort the HTTP/2 stream. <c>after</c> runs the
/// handler first, so the money moves but the client sees an error: the classic cause of double
/// charges when a client retries without an idempotency key.
/// </summary>
public sealed class ResetOptions
{
    private static readonly string[] Fields = ["when"];

    public ResetOptions(ResetWhen when = ResetWhen.Before)
    {
        When = when;
    }

    public ResetWhen When { get; }

    internal static ResetOptions? Read(JsonElement value, string path, FaultRuleErrors errors)
    {
        if (value.ValueKind == JsonValueKind.True)
        {
            return new ResetOptions();
        }

        if (!FaultJson.CheckObject(value, path, Fields, errors))
        {
            return null;
        }

        var when = FaultJson.ReadString(value, "when", path, errors);
        switch (when)
        {
            case null when !FaultJson.TryGet(value, "when", out _):
                return new ResetOptions();
            case "before":
                return new ResetOptions(ResetWhen.Before);
            case "after":
                return new ResetOptions(ResetWhen.After);
            case null:
                return null;
            default:
                errors.Add(FaultJson.Join(path, "when"), $"\"{when}\" is not allowed; allowed: before, after");
                return null;
        }
    }
}

using System.Text.Json;

namespace PaySim.Simulator.Faults.Kinds.Hang;

/// <summary>
/// <c>"hang": {}</c>: the call gets no reply until the caller's deadline or cancellation.
/// <c>max</c> bounds how long the server holds the call (it then fails with DEADLINE_EXCEEDED),
/// so a caller without a deadline cannot pin server resources forever.
/// </summary>
public sealed class HangOptions
{
    private static readonly string[] Fields = ["max"];

    public HangOptions(TimeSpan? max = null)
    {
        Max = max ?? FaultDefaults.HangMax;
    }

    public TimeSpan Max { get; }

    internal static HangOptions? Read(JsonElement value, string path, FaultRuleErrors errors)
    {
        if (value.ValueKind == JsonValueKind.True)
        {
            return new HangOptions();
        }

        if (!FaultJson.CheckObject(value, path, Fields, errors))
        {
            return null;
        }

        var before = errors.Count;
        var max = FaultJson.ReadDuration(value, "max", path, errors, FaultDefaults.MaxDelay, positive: true);
        return errors.Count == before ? new HangOptions(max) : null;
    }
}

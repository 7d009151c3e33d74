using System.Text.Json;

namespace PaySim.Simulator.Faults.Kinds.SmsReorder;

/// <summary>
/// <c>"smsReorder": { "window": "5s" }</c>: the message is held back until the next message to the
/// same phone has been delivered, or until <c>window</c> passes, so an older OTP can arrive after a
/// newer one.
/// </summary>
public sealed class SmsReorderOptions
{
    private static readonly string[] Fields = ["window"];

    public SmsReorderOptions(TimeSpan? window = null)
    {
        Window = window ?? FaultDefaults.SmsReorderWindow;
    }

    public TimeSpan Window { get; }

    internal static SmsReorderOptions? Read(JsonElement value, string path, FaultRuleErrors errors)
    {
        if (value.ValueKind == JsonValueKind.True)
        {
            return new SmsReorderOptions();
        }

        if (!FaultJson.CheckObject(value, path, Fields, errors))
        {
            return null;
        }

        var before = errors.Count;
        var window = FaultJson.ReadDuration(value, "window", path, errors, FaultDefaults.MaxDelay, positive: true);
        return errors.Count == before ? new SmsReorderOptions(window) : null;
    }
}

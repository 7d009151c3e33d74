using System.Text.Json;

namespace PaySim.Simulator.Faults.Kinds.SmsAfterExpiry;

/// <summary>
/// <c>"smsAfterExpiry": { "extra": "1s" }</c>: the message is delivered <c>extra</c> after the OTP it
/// carries has expired (the SMS path knows the OTP's validity), so the code the user types is refused.
/// </summary>
public sealed class SmsAfterExpiryOptions
{
    private static readonly string[] Fields = ["extra"];

    public SmsAfterExpiryOptions(TimeSpan? extra = null)
    {
        Extra = extra ?? FaultDefaults.SmsAfterExpiryExtra;
    }

    public TimeSpan Extra { get; }

    internal static SmsAfterExpiryOptions? Read(JsonElement value, string path, FaultRuleErrors errors)
    {
        if (value.ValueKind == JsonValueKind.True)
        {
            return new SmsAfterExpiryOptions();
        }

        if (!FaultJson.CheckObject(value, path, Fields, errors))
        {
            return null;
        }

        var before = errors.Count;
        var extra = FaultJson.ReadDuration(value, "extra", path, errors, FaultDefaults.MaxDelay);
        return errors.Count == before ? new SmsAfterExpiryOptions(extra) : null;
    }
}

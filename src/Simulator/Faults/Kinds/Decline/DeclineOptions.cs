using System.Text.Json;
using PaySim.Contracts.Issuer.V1;

namespace PaySim.Simulator.Faults.Kinds.Decline;

/// <summary>
/// <c>"decline": { "code": "91", "reason": "ISSUER_UNAVAILABLE", "message": "..." }</c>: an OK gRPC
/// reply carrying a business decline. <c>reasons</c> (an array) instead of <c>reason</c> picks one
/// of several reasons per call with an independent, reproducible draw (the wrong-data profile).
/// </summary>
public sealed class DeclineOptions
{
    private static readonly string[] Fields = ["code", "reason", "reasons", "message"];

    public DeclineOptions(string code, IReadOnlyList<DeclineReason>? reasons = null, string? message = null)
    {
        Code = code;
        Reasons = reasons is { Count: > 0 } ? reasons.ToArray() : [DeclineCodes.DefaultReason(code)];
        Message = message ?? $"{FaultDefaults.MessagePrefix}{DeclineCodes.DefaultMessage(code)}";
    }

    public string Code { get; }

    /// <summary>One reason, or several chosen uniformly per call.</summary>
    public DeclineReason[] Reasons { get; }

    public string Message { get; }

    internal static DeclineOptions? Read(JsonElement value, string path, FaultRuleErrors errors)
    {
        if (!FaultJson.CheckObject(value, path, Fields, errors))
        {
            return null;
        }

        var code = FaultJson.ReadString(value, "code", path, errors);
        var message = FaultJson.ReadMessage(value, "message", path, errors);
        var ok = true;
        if (code is null)
        {
            if (!FaultJson.TryGet(value, "code", out _))
            {
                errors.Add(FaultJson.Join(path, "code"), $"is required; allowed: {DeclineCodes.Allowed}");
            }

            ok = false;
        }
        else if (!DeclineCodes.IsValid(code))
        {
            errors.Add(FaultJson.Join(path, "code"), $"\"{code}\" is not a decline code; allowed: {DeclineCodes.Allowed}");
            ok = false;
        }

        var reasons = new List<DeclineReason>();
        var hasReason = FaultJson.TryGet(value, "reason", out var reasonValue);
        var hasReasons = FaultJson.TryGet(value, "reasons", out var reasonsValue);
        if (hasReason && hasReasons)
        {
            errors.Add(FaultJson.Join(path, "reasons"), "give either reason or reasons, not both");
            ok = false;
        }
        else if (hasReason)
        {
            ok &= ReadReason(reasonValue, FaultJson.Join(path, "reason"), errors, reasons);
        }
        else if (hasReasons)
        {
            if (reasonsValue.ValueKind != JsonValueKind.Array || reasonsValue.GetArrayLength() == 0)
            {
                errors.Add(FaultJson.Join(path, "reasons"), $"must be a non-empty array of: {DeclineReasonNames.Allowed}");
                ok = false;
            }
            else
            {
                var i = 0;
                foreach (var item in reasonsValue.EnumerateArray())
                {
                    ok &= ReadReason(item, $"{FaultJson.Join(path, "reasons")}[{i++}]", errors, reasons);
                }
            }
        }

        return ok && code is not null ? new DeclineOptions(code, reasons, message) : null;
    }

    private static bool ReadReason(JsonElement value, string field, FaultRuleErrors errors, List<DeclineReason> into)
    {
        if (value.ValueKind == JsonValueKind.String && DeclineReasonNames.TryParse(value.GetString(), out var reason))
        {
            into.Add(reason);
            return true;
        }

        errors.Add(field, $"{FaultJson.Describe(value)} is not a decline reason; allowed: {DeclineReasonNames.Allowed}");
        return false;
    }
}

using System.Text.Json;

namespace PaySim.Simulator.Faults.Rules;

/// <summary>
/// <c>"match": { "pan", "panPrefix", "phone", "amountMin", "amountMax", "metadata": { "k": "v" } }</c>:
/// every given field must hold for the rule to apply. A call that does not carry the field (no
/// amount on StartBinding, say) does not match a rule that asks for it.
/// </summary>
public sealed class FaultMatch
{
    private static readonly string[] Fields = ["pan", "panPrefix", "phone", "amountMin", "amountMax", "metadata"];

    public string? Pan { get; init; }

    public string? PanPrefix { get; init; }

    public string? Phone { get; init; }

    public long? AmountMin { get; init; }

    public long? AmountMax { get; init; }

    /// <summary>Request metadata that must be present with exactly this value (keys lower case, as gRPC sends them).</summary>
    public KeyValuePair<string, string>[] Metadata { get; init; } = [];

    /// <summary>True when the engine must extract pan/phone/amount from the request for this rule.</summary>
    public bool NeedsRequestFields => Pan is not null || PanPrefix is not null || Phone is not null || AmountMin is not null || AmountMax is not null;

    public bool Matches(in FaultRequest request)
    {
        if (Pan is not null && !string.Equals(Pan, request.Pan, StringComparison.Ordinal))
        {
            return false;
        }

        if (PanPrefix is not null && (request.Pan is null || !request.Pan.StartsWith(PanPrefix, StringComparison.Ordinal)))
        {
            return false;
        }

        if (Phone is not null && !string.Equals(Phone, request.Phone, StringComparison.Ordinal))
        {
            return false;
        }

        if (AmountMin is not null || AmountMax is not null)
        {
            if (request.AmountMinor is not { } amount
                || (AmountMin is { } min && amount < min)
                || (AmountMax is { } max && amount > max))
            {
                return false;
            }
        }

        var metadata = Metadata;
        if (metadata.Length > 0)
        {
            var headers = request.Headers;
            if (headers is null)
            {
                return false;
            }

            for (var i = 0; i < metadata.Length; i++)
            {
                var entry = headers.Get(metadata[i].Key);
                if (entry is null || entry.IsBinary || !string.Equals(entry.Value, metadata[i].Value, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }

        return true;
    }

    internal static FaultMatch? Read(JsonElement value, string path, FaultRuleErrors errors)
    {
        if (!FaultJson.CheckObject(value, path, Fields, errors))
        {
            return null;
        }

        var before = errors.Count;
        var pan = FaultJson.ReadString(value, "pan", path, errors);
        var panPrefix = FaultJson.ReadString(value, "panPrefix", path, errors);
        var phone = FaultJson.ReadString(value, "phone", path, errors);
        // A condition no call can meet makes a rule that never fires: refused, as the SMS kinds' are.
        if (pan is { Length: 0 })
        {
            errors.Add(FaultJson.Join(path, "pan"), "must not be empty; give the card number, or leave pan out");
        }

        if (panPrefix is not null && (panPrefix.Length == 0 || !panPrefix.All(char.IsAsciiDigit)))
        {
            errors.Add(FaultJson.Join(path, "panPrefix"), $"\"{panPrefix}\" must be 1 or more digits 0-9, e.g. \"62\"");
        }

        if (phone is { Length: 0 })
        {
            errors.Add(FaultJson.Join(path, "phone"), "must not be empty; give the reserved phone, or leave phone out");
        }

        var amountMin = FaultJson.ReadInteger(value, "amountMin", path, errors, 0, long.MaxValue);
        var amountMax = FaultJson.ReadInteger(value, "amountMax", path, errors, 0, long.MaxValue);
        if (amountMin is { } lo && amountMax is { } hi && hi < lo)
        {
            errors.Add(FaultJson.Join(path, "amountMax"), $"{hi} is less than amountMin {lo}");
        }

        var metadata = new List<KeyValuePair<string, string>>();
        if (FaultJson.TryGet(value, "metadata", out var metadataValue))
        {
            var metadataPath = FaultJson.Join(path, "metadata");
            if (metadataValue.ValueKind != JsonValueKind.Object)
            {
                errors.Add(metadataPath, "must be an object of header name to value, e.g. {\"x-tenant\": \"qa\"}");
            }
            else
            {
                foreach (var property in metadataValue.EnumerateObject())
                {
                    if (property.Name.Length == 0)
                    {
                        errors.Add(metadataPath, "a header name must not be empty, e.g. {\"x-tenant\": \"qa\"}");
                        continue;
                    }

                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        errors.Add(FaultJson.Join(metadataPath, property.Name), $"must be a string, got {FaultJson.Describe(property.Value)}");
                        continue;
                    }

                    metadata.Add(new(property.Name.ToLowerInvariant(), property.Value.GetString()!));
                }
            }
        }

        return errors.Count == before
            ? new FaultMatch
            {
                Pan = pan,
                PanPrefix = panPrefix,
                Phone = phone,
                AmountMin = amountMin,
                AmountMax = amountMax,
                Metadata = metadata.ToArray(),
            }
            : null;
    }
}

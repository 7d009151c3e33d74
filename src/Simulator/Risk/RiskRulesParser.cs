using System.Text.Json;
using PaySim.Simulator.Faults;

namespace PaySim.Simulator.Risk;

/// <summary>
/// Reads a risk document (docs/simulator.md "Risk controls") the way fault rules are read: every bad field is
/// reported at once, one line naming it and what is allowed; a field left out takes its default, <c>null</c>
/// switches a rule off.
/// </summary>
internal static class RiskRulesParser
{
    public const long MaxAmountMinor = 1_000_000_000_000_000;
    public const int MaxCount = 1_000_000;
    public const int MaxMerchants = 1_000;
    public const int MaxMerchantLength = 128;

    /// <summary>The longest window a rule may have.</summary>
    public static readonly TimeSpan MaxWindow = FaultDefaults.MaxSchedule;

    private static readonly string[] Fields =
        [RiskRuleNames.Velocity, RiskRuleNames.Amount, RiskRuleNames.DailyLimit, RiskRuleNames.Repeat, RiskRuleNames.RiskFlagged, "notPermittedMerchants", RiskRuleNames.StepUp];

    /// <summary>Throws <see cref="RiskRuleException"/> naming every bad field.</summary>
    public static RiskRules Parse(string? json)
    {
        var errors = new FaultRuleErrors();
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new RiskRuleException([new FaultRuleError("risk", "is empty; give a JSON object such as {\"velocity\": {\"count\": 5, \"window\": \"10s\"}} ({} is the defaults)")]);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, FaultJson.DocumentOptions);
        }
        catch (JsonException e)
        {
            // Worded as the fault parser words it: where, and the parser's first sentence, without its internals.
            throw new RiskRuleException([new FaultRuleError("risk", FaultJson.NotJson(e, json))]);
        }
        catch (InvalidOperationException)
        {
            // Field names are decoded while parsing (duplicates are refused): one with a lone surrogate fails there.
            throw new RiskRuleException([new FaultRuleError("risk", FaultJson.NotText + " in a field name")]);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new RiskRuleException([new FaultRuleError("risk", $"must be a JSON object, got {FaultJson.Describe(root)}")]);
            }

            if (!FaultJson.CheckText(root, "", errors))
            {
                throw new RiskRuleException(errors.Items.ToArray());
            }

            FaultJson.CheckObject(root, "", Fields, errors);
            var rules = new RiskRules
            {
                Velocity = Rule(root, RiskRuleNames.Velocity, "count", 1, MaxCount, window: true, action: true, errors),
                Amount = Rule(root, RiskRuleNames.Amount, "maxMinor", 1, MaxAmountMinor, window: true, action: true, errors),
                // Like every rule: left out is its default (on), null is off.
                DailyLimit = root.TryGetProperty(RiskRuleNames.DailyLimit, out _)
                    ? FaultJson.ReadBoolean(root, RiskRuleNames.DailyLimit, "", errors) ?? false
                    : RiskRules.Default.DailyLimit,
                Repeat = Rule(root, RiskRuleNames.Repeat, null, 0, 0, window: true, action: true, errors),
                RiskFlagged = root.TryGetProperty(RiskRuleNames.RiskFlagged, out _)
                    ? Rule(root, RiskRuleNames.RiskFlagged, "aboveMinor", 0, MaxAmountMinor, window: false, action: true, errors)
                    : RiskRules.Default.RiskFlagged,
                NotPermittedMerchants = Merchants(root, errors),
                StepUp = Rule(root, RiskRuleNames.StepUp, "aboveMinor", 0, MaxAmountMinor, window: false, action: false, errors),
            };
            if (errors.Count > 0)
            {
                throw new RiskRuleException(errors.Items.ToArray());
            }

            return rules;
        }
    }

    private static RiskRule? Rule(JsonElement root, string name, string? limitName, long min, long max, bool window, bool action, FaultRuleErrors errors)
    {
        if (!FaultJson.TryGet(root, name, out var value))
        {
            return null;
        }

        var allowed = new List<string>();
        if (limitName is not null)
        {
            allowed.Add(limitName);
        }

        if (window)
        {
            allowed.Add("window");
        }

        if (action)
        {
            allowed.Add("action");
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(name, $"must be a JSON object with {string.Join(", ", allowed)}, or null (off); got {FaultJson.Describe(value)}");
            return null;
        }

        var before = errors.Count;
        FaultJson.CheckObject(value, name, allowed, errors);
        long limit = 0;
        if (limitName is not null)
        {
            if (!FaultJson.TryGet(value, limitName, out _))
            {
                errors.Add(FaultJson.Join(name, limitName), $"is required: a whole number from {min} to {max}");
            }
            else
            {
                limit = FaultJson.ReadInteger(value, limitName, name, errors, min, max) ?? 0;
            }
        }

        var span = TimeSpan.Zero;
        if (window)
        {
            if (!FaultJson.TryGet(value, "window", out _))
            {
                errors.Add(FaultJson.Join(name, "window"), "is required: a duration such as \"10s\" or \"1m\", more than 0 and at most 24h");
            }
            else
            {
                span = FaultJson.ReadDuration(value, "window", name, errors, MaxWindow, positive: true) ?? TimeSpan.Zero;
            }
        }

        var act = RiskAction.Decline;
        if (action && FaultJson.ReadString(value, "action", name, errors) is { } text)
        {
            switch (text)
            {
                case "decline":
                    break;
                case "challenge":
                    act = RiskAction.Challenge;
                    break;
                default:
                    errors.Add(FaultJson.Join(name, "action"), $"\"{text}\" is not allowed; allowed: decline, challenge");
                    break;
            }
        }

        return errors.Count > before ? null : new RiskRule(limit, span, act);
    }

    private static string[] Merchants(JsonElement root, FaultRuleErrors errors)
    {
        const string name = "notPermittedMerchants";
        if (!FaultJson.TryGet(root, name, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(name, $"must be an array of merchant ids, got {FaultJson.Describe(value)}");
            return [];
        }

        if (value.GetArrayLength() > MaxMerchants)
        {
            errors.Add(name, $"has {value.GetArrayLength()} merchants; at most {MaxMerchants} are allowed");
            return [];
        }

        var merchants = new List<string>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString() ?? "" : null;
            if (text is null || text.Length is 0 or > MaxMerchantLength)
            {
                errors.Add($"{name}[{i}]", $"must be a merchant id of 1 to {MaxMerchantLength} characters, got {FaultJson.Describe(item)}");
            }
            else
            {
                merchants.Add(text);
            }

            i++;
        }

        return merchants.Distinct(StringComparer.Ordinal).ToArray();
    }
}

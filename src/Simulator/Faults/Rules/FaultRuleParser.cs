using System.Text.Json;
using System.Text.Json.Nodes;
using PaySim.Simulator.Faults.Kinds;

namespace PaySim.Simulator.Faults.Rules;

/// <summary>
/// Reads fault rules from JSON: one rule object, an array of rules, or a profile document
/// <c>{ "description", "maxActiveFaults", "rules": [...] }</c>. Validation is all-or-nothing and
/// reports every bad field at once (<see cref="FaultRuleException"/>).
/// </summary>
internal static class FaultRuleParser
{
    private static readonly string[] SelectionFields =
        ["name", "description", "node", "method", "match", "probability", "times", "start", "duration", "ramp"];

    private static readonly string[] RuleFields = [.. SelectionFields, .. FaultKindCatalog.Names];

    // The method whose path delivers SMS (the issuer's OTP messages go the same way).
    private const string SmsDeliveryMethod = "Send";

    private static readonly string[] DocumentFields = ["description", "maxActiveFaults", "rules"];

    /// <summary>Parses and validates; throws <see cref="FaultRuleException"/> naming every bad field.</summary>
    public static FaultRuleSet Parse(string json, FaultRuleContext context)
    {
        var errors = new FaultRuleErrors();
        var set = Parse(json, context, errors);
        errors.ThrowIfAny();
        return set!;
    }

    public static bool TryParse(string json, FaultRuleContext context, out FaultRuleSet rules, out IReadOnlyList<FaultRuleError> errors)
    {
        var collected = new FaultRuleErrors();
        var set = Parse(json, context, collected);
        errors = collected.Items;
        rules = collected.Count == 0 && set is not null ? set : FaultRuleSet.Empty;
        return collected.Count == 0;
    }

    private static FaultRuleSet? Parse(string json, FaultRuleContext context, FaultRuleErrors errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "null" : json, FaultJson.DocumentOptions);
        }
        catch (JsonException ex)
        {
            errors.Add("json", FaultJson.NotJson(ex, json));
            return null;
        }
        catch (InvalidOperationException)
        {
            // Field names are decoded while parsing (duplicates are refused): one with a lone surrogate fails there.
            errors.Add("json", FaultJson.NotText + " in a field name");
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (!FaultJson.CheckText(root, string.Empty, errors))
            {
                return null;
            }

            switch (root.ValueKind)
            {
                case JsonValueKind.Array:
                    return new FaultRuleSet(ParseRules(root, string.Empty, context, errors));
                case JsonValueKind.Object when root.TryGetProperty("rules", out _):
                {
                    FaultJson.CheckObject(root, string.Empty, DocumentFields, errors);
                    var max = FaultJson.ReadInteger(root, "maxActiveFaults", string.Empty, errors, 1, FaultDefaults.MaxActiveFaults);
                    var description = FaultJson.ReadString(root, "description", string.Empty, errors, FaultDefaults.MaxDescription);
                    var rulesValue = root.GetProperty("rules");
                    if (rulesValue.ValueKind != JsonValueKind.Array)
                    {
                        errors.Add("rules", "must be an array of rules");
                        return null;
                    }

                    return new FaultRuleSet(ParseRules(rulesValue, "rules", context, errors), max is { } m ? (int)m : null, description);
                }

                case JsonValueKind.Object:
                {
                    var names = new Dictionary<string, int>(StringComparer.Ordinal);
                    var rule = ParseRule(root, string.Empty, context, errors, names);
                    return rule is null ? null : new FaultRuleSet([rule]);
                }

                default:
                    errors.Add("json", "must be a rule object, an array of rules, or {\"rules\": [...]}");
                    return null;
            }
        }
    }

    private static List<FaultRule> ParseRules(JsonElement array, string path, FaultRuleContext context, FaultRuleErrors errors)
    {
        var rules = new List<FaultRule>();
        if (array.GetArrayLength() > FaultDefaults.MaxRules)
        {
            errors.Add(path.Length == 0 ? "rules" : path, $"{array.GetArrayLength()} rules is more than the limit of {FaultDefaults.MaxRules}");
            return rules;
        }

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var rule = ParseRule(item, $"{path}[{index++}]", context, errors, names);
            if (rule is not null)
            {
                rules.Add(rule);
            }
        }

        return rules;
    }

    private static FaultRule? ParseRule(JsonElement value, string path, FaultRuleContext context, FaultRuleErrors errors, Dictionary<string, int> names)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path.Length == 0 ? "rule" : path, $"must be a rule object, got {FaultJson.Describe(value)}");
            return null;
        }

        var before = errors.Count;
        FaultJson.CheckObject(value, path, RuleFields, errors);
        var name = ReadName(value, path, errors);
        var description = FaultJson.ReadString(value, "description", path, errors, FaultDefaults.MaxDescription);
        var (node, method) = ReadTarget(value, path, context, errors);
        if (FindKind(value, path, errors) is not { } kind)
        {
            return null;
        }

        var trigger = ReadTrigger(value, path, kind, errors);
        CheckKindFits(value, path, kind, node, method, context, errors);
        var options = ReadOptions(kind, value.GetProperty(kind.Name), FaultJson.Join(path, kind.Name), errors);
        var unique = UniqueName(name, $"{kind.Name}:{node}:{method}", path, names, errors);
        if (options is null || errors.Count != before)
        {
            return null;
        }

        return new FaultRule
        {
            Name = unique,
            Description = description,
            Node = node,
            Method = method,
            Match = trigger.Match,
            Probability = trigger.Probability ?? FaultDefaults.Probability,
            Times = trigger.Times is { } t ? (int)t : null,
            Start = trigger.Start,
            Duration = trigger.Duration,
            Ramp = trigger.Ramp,
            Kind = kind,
            Options = options,
            Json = name is not null ? Compact(value) : WithName(value, unique),
        };
    }

    /// <summary>
    /// The kind's options. When they are refused as a whole for being the wrong sort of JSON value (<c>"latency": 50</c>,
    /// <c>"error": true</c>), the line shows the kind's form from its catalog <see cref="IFaultKind.Example"/>
    /// (<c>e.g. "latency": "50ms"</c>); a value of the example's own sort (a bad duration string) is about its content, and
    /// says that already.
    /// </summary>
    private static object? ReadOptions(IFaultKind kind, JsonElement value, string path, FaultRuleErrors errors)
    {
        var before = errors.Count;
        var options = kind.ReadOptions(value, path, errors);
        if (options is null && value.ValueKind != JsonValueKind.Object && value.ValueKind != ExampleKind(kind))
        {
            errors.Amend(before, path, $"; e.g. \"{kind.Name}\": {kind.Example}");
        }

        return options;
    }

    private static JsonValueKind ExampleKind(IFaultKind kind)
    {
        using var example = JsonDocument.Parse(kind.Example);
        return example.RootElement.ValueKind;
    }

    private static string? ReadName(JsonElement value, string path, FaultRuleErrors errors)
    {
        var name = FaultJson.ReadString(value, "name", path, errors);
        if (name is not null && !IsValidName(name))
        {
            errors.Add(FaultJson.Join(path, "name"), $"\"{name}\" is not allowed; use 1–64 letters, digits, '-', '_', '.' or ':'");
        }

        return name;
    }

    private static (string Node, string Method) ReadTarget(JsonElement value, string path, FaultRuleContext context, FaultRuleErrors errors)
    {
        var node = FaultJson.ReadString(value, "node", path, errors) ?? "*";
        if (!context.IsKnownNodePattern(node))
        {
            errors.Add(FaultJson.Join(path, "node"), $"unknown node \"{node}\"; allowed: *, {string.Join(", ", context.Nodes)}, or a prefix such as issuer-*");
        }

        var method = FaultJson.ReadString(value, "method", path, errors) ?? "*";
        if (!context.IsKnownMethod(method))
        {
            errors.Add(FaultJson.Join(path, "method"), $"unknown method \"{method}\"; allowed: *, {string.Join(", ", context.Methods)}");
        }
        else if (context.IsKnownNodePattern(node) && !context.Serves(node, method))
        {
            // Such a rule could never fire: say so now rather than let it sit idle.
            errors.Add(FaultJson.Join(path, "method"), $"node \"{node}\" does not serve \"{method}\"; allowed there: *, {string.Join(", ", context.MethodsServedBy(node))}");
        }

        return (node, method);
    }

    // Exactly one action: a rule does one thing, combinations are several rules.
    private static IFaultKind? FindKind(JsonElement value, string path, FaultRuleErrors errors)
    {
        var kinds = new List<IFaultKind>();
        foreach (var property in value.EnumerateObject())
        {
            if (FaultKindCatalog.TryFind(property.Name, out var kind))
            {
                kinds.Add(kind);
            }
        }

        switch (kinds.Count)
        {
            case 0:
                errors.Add(path.Length == 0 ? "rule" : path, $"has no action; give exactly one of: {string.Join(", ", FaultKindCatalog.Names)}");
                return null;
            case > 1:
                errors.Add(FaultJson.Join(path, kinds[1].Name), $"a rule does one thing but this one has {string.Join(" and ", kinds.Select(k => k.Name))}; split it into {kinds.Count} rules");
                return null;
            default:
                return kinds[0];
        }
    }

    private static Trigger ReadTrigger(JsonElement value, string path, IFaultKind kind, FaultRuleErrors errors) => new(
        FaultJson.ReadNumber(value, "probability", path, errors, 0, 1),
        FaultJson.ReadInteger(value, "times", path, errors, 1, int.MaxValue),
        FaultJson.ReadDuration(value, "start", path, errors, FaultDefaults.MaxSchedule) ?? TimeSpan.Zero,
        FaultJson.ReadDuration(value, "duration", path, errors, FaultDefaults.MaxSchedule, positive: true),
        FaultJson.TryGet(value, "ramp", out var ramp) ? FaultRamp.Read(ramp, FaultJson.Join(path, "ramp"), kind, errors) : null,
        FaultJson.TryGet(value, "match", out var match) ? FaultMatch.Read(match, FaultJson.Join(path, "match"), errors) : null);

    // What the kind's flags forbid: per-call triggers on a state or a limit, a selection it can never act on.
    private static void CheckKindFits(JsonElement value, string path, IFaultKind kind, string node, string method, FaultRuleContext context, FaultRuleErrors errors)
    {
        if (kind.Flags.HasFlag(FaultKindFlags.Limit))
        {
            foreach (var field in new[] { "probability", "times", "ramp" })
            {
                if (FaultJson.TryGet(value, field, out _))
                {
                    errors.Add(FaultJson.Join(path, field), $"does not apply to a {kind.Name} rule (it is a state or a limit, not a per-call draw); use start and duration");
                }
            }
        }

        // sms* rules act where the SMS node delivers (its Send path); anywhere else they never fire.
        if (kind.Flags.HasFlag(FaultKindFlags.SmsPath) && context.IsKnownNodePattern(node) && context.IsKnownMethod(method))
        {
            if (!context.Serves(node, SmsDeliveryMethod))
            {
                errors.Add(FaultJson.Join(path, "node"), $"a {kind.Name} rule acts on SMS delivery; allowed: *, {string.Join(", ", context.Nodes.Where(n => context.Serves(n, SmsDeliveryMethod)))}");
            }
            else if (method is not ("*" or SmsDeliveryMethod))
            {
                errors.Add(FaultJson.Join(path, "method"), $"a {kind.Name} rule acts on SMS delivery; allowed: *, {SmsDeliveryMethod}");
            }
        }

        if (kind.Flags.HasFlag(FaultKindFlags.NodeLevel))
        {
            if (method != "*")
            {
                errors.Add(FaultJson.Join(path, "method"), $"a {kind.Name} rule affects the whole node; allowed: *");
            }

            if (FaultJson.TryGet(value, "match", out _))
            {
                errors.Add(FaultJson.Join(path, "match"), $"does not apply to a {kind.Name} rule, which affects the whole node");
            }
        }
    }

    // A given name must be unique in the request; a generated one ("latency:*:*") is numbered instead.
    private static string UniqueName(string? name, string generated, string path, Dictionary<string, int> names, FaultRuleErrors errors)
    {
        var unique = name ?? generated;
        if (!names.TryGetValue(unique, out var seen))
        {
            names[unique] = 1;
            return unique;
        }

        if (name is not null)
        {
            errors.Add(FaultJson.Join(path, "name"), $"\"{name}\" is used by another rule of this request; names must be unique");
            return unique;
        }

        names[unique] = seen + 1;
        return $"{unique}#{seen + 1}";
    }

    private static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 64 || name == "*")
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or ':'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Compact(JsonElement value) => JsonSerializer.Serialize(value);

    private static string WithName(JsonElement value, string name)
    {
        var node = JsonObject.Create(value)!;
        var copy = new JsonObject { ["name"] = name };
        foreach (var property in node.ToArray())
        {
            node.Remove(property.Key);
            if (property.Key != "name")
            {
                // "name": null is no name: the listing shows the generated one, the name to DELETE it by.
                copy[property.Key] = property.Value;
            }
        }

        return copy.ToJsonString();
    }

    private readonly record struct Trigger(double? Probability, long? Times, TimeSpan Start, TimeSpan? Duration, FaultRamp? Ramp, FaultMatch? Match);
}

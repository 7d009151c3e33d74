using System.Text.Json;
using System.Text.Json.Nodes;
using PaySim.Simulator.Faults.Kinds.Capacity;
using PaySim.Simulator.Faults.Kinds.Decline;
using PaySim.Simulator.Faults.Kinds.Error;
using PaySim.Simulator.Faults.Kinds.Flap;
using PaySim.Simulator.Faults.Kinds.Hang;
using PaySim.Simulator.Faults.Kinds.Latency;
using PaySim.Simulator.Faults.Kinds.Outage;
using PaySim.Simulator.Faults.Kinds.RateLimit;
using PaySim.Simulator.Faults.Kinds.Reset;
using PaySim.Simulator.Faults.Kinds.SmsAfterExpiry;
using PaySim.Simulator.Faults.Kinds.SmsDrop;
using PaySim.Simulator.Faults.Kinds.SmsDuplicate;
using PaySim.Simulator.Faults.Kinds.SmsReorder;

namespace PaySim.Simulator.Faults.Rules;

/// <summary>
/// Reads fault rules from JSON: one rule object, an array of rules, or a profile document
/// <c>{ "description", "maxActiveFaults", "rules": [...] }</c>. Validation is all-or-nothing and
/// reports every bad field at once (<see cref="FaultRuleException"/>).
/// </summary>
public static class FaultRuleParser
{
    private static readonly string[] SelectionFields =
        ["name", "description", "node", "method", "match", "probability", "times", "start", "duration", "ramp"];

    private static readonly string[] RuleFields = [.. SelectionFields, .. FaultKinds.All];

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
            errors.Add("json", $"not valid JSON at line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}: {FirstSentence(ex.Message)}");
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Array:
                    return new FaultRuleSet(ParseRules(root, string.Empty, context, errors));
                case JsonValueKind.Object when root.TryGetProperty("rules", out _):
                {
                    FaultJson.CheckObject(root, string.Empty, DocumentFields, errors);
                    var max = FaultJson.ReadInteger(root, "maxActiveFaults", string.Empty, errors, 1, 1_000_000);
                    var description = FaultJson.ReadString(root, "description", string.Empty, errors);
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

        var name = FaultJson.ReadString(value, "name", path, errors);
        if (name is not null && !IsValidName(name))
        {
            errors.Add(FaultJson.Join(path, "name"), $"\"{name}\" is not allowed; use 1–64 letters, digits, '-', '_', '.' or ':'");
        }

        var description = FaultJson.ReadString(value, "description", path, errors);
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

        // Exactly one action: a rule does one thing, combinations are several rules.
        var kinds = new List<FaultKind>();
        foreach (var property in value.EnumerateObject())
        {
            if (FaultKinds.TryParse(property.Name, out var k))
            {
                kinds.Add(k);
            }
        }

        if (kinds.Count == 0)
        {
            errors.Add(path.Length == 0 ? "rule" : path, $"has no action; give exactly one of: {string.Join(", ", FaultKinds.All)}");
            return null;
        }

        if (kinds.Count > 1)
        {
            errors.Add(FaultJson.Join(path, kinds[1].Name()), $"a rule does one thing but this one has {string.Join(" and ", kinds.Select(k => k.Name()))}; split it into {kinds.Count} rules");
            return null;
        }

        var kind = kinds[0];
        var kindValue = value.GetProperty(kind.Name());
        var kindPath = FaultJson.Join(path, kind.Name());

        var probability = FaultJson.ReadNumber(value, "probability", path, errors, 0, 1);
        var times = FaultJson.ReadInteger(value, "times", path, errors, 1, int.MaxValue);
        var start = FaultJson.ReadDuration(value, "start", path, errors) ?? TimeSpan.Zero;
        var duration = FaultJson.ReadDuration(value, "duration", path, errors, positive: true);
        var ramp = FaultJson.TryGet(value, "ramp", out var rampValue) ? FaultRamp.Read(rampValue, FaultJson.Join(path, "ramp"), kind, errors) : null;
        var match = FaultJson.TryGet(value, "match", out var matchValue) ? FaultMatch.Read(matchValue, FaultJson.Join(path, "match"), errors) : null;

        if (kind.IsDeterministic())
        {
            foreach (var field in new[] { "probability", "times", "ramp" })
            {
                if (FaultJson.TryGet(value, field, out _))
                {
                    errors.Add(FaultJson.Join(path, field), $"does not apply to a {kind.Name()} rule (it is a state or a limit, not a per-call draw); use start and duration{(kind == FaultKind.Outage ? ", or flap" : string.Empty)}");
                }
            }
        }

        // sms* rules act where the SMS node delivers (its Send path); anywhere else they never fire.
        if (kind.IsSms() && context.IsKnownNodePattern(node) && context.IsKnownMethod(method))
        {
            if (!context.Serves(node, SmsDeliveryMethod))
            {
                errors.Add(FaultJson.Join(path, "node"), $"a {kind.Name()} rule acts on SMS delivery; allowed: *, {string.Join(", ", context.Nodes.Where(n => context.Serves(n, SmsDeliveryMethod)))}");
            }
            else if (method is not ("*" or SmsDeliveryMethod))
            {
                errors.Add(FaultJson.Join(path, "method"), $"a {kind.Name()} rule acts on SMS delivery; allowed: *, {SmsDeliveryMethod}");
            }
        }

        if (kind.IsNodeState())
        {
            if (method != "*")
            {
                errors.Add(FaultJson.Join(path, "method"), $"a {kind.Name()} rule affects the whole node; allowed: *");
            }

            if (FaultJson.TryGet(value, "match", out _))
            {
                errors.Add(FaultJson.Join(path, "match"), $"does not apply to a {kind.Name()} rule, which affects the whole node");
            }
        }

        LatencyDistribution? latency = null, smsDelay = null;
        ErrorOptions? error = null;
        DeclineOptions? decline = null;
        HangOptions? hang = null;
        ResetOptions? reset = null;
        FlapOptions? flap = null;
        CapacityOptions? capacity = null;
        RateLimitOptions? rateLimit = null;
        SmsDuplicateOptions? duplicate = null;
        SmsReorderOptions? reorder = null;
        SmsAfterExpiryOptions? afterExpiry = null;
        var kindOk = kind switch
        {
            FaultKind.Latency => (latency = LatencyDistribution.Read(kindValue, kindPath, errors)) is not null,
            FaultKind.Error => (error = ErrorOptions.Read(kindValue, kindPath, errors)) is not null,
            FaultKind.Decline => (decline = DeclineOptions.Read(kindValue, kindPath, errors)) is not null,
            FaultKind.Hang => (hang = HangOptions.Read(kindValue, kindPath, errors)) is not null,
            FaultKind.Reset => (reset = ResetOptions.Read(kindValue, kindPath, errors)) is not null,
            FaultKind.Outage or FaultKind.NotServing => OutageOptions.Read(kindValue, kindPath, errors) is not null,
            FaultKind.Flap => (flap = FlapOptions.Read(kindValue, kindPath, errors)) is not null,
            FaultKind.Capacity => (capacity = CapacityOptions.Read(kindValue, kindPath, errors)) is not null,
            FaultKind.RateLimit => (rateLimit = RateLimitOptions.Read(kindValue, kindPath, errors)) is not null,
            FaultKind.SmsDelay => (smsDelay = LatencyDistribution.Read(kindValue, kindPath, errors)) is not null,
            FaultKind.SmsDrop => SmsDropOptions.Read(kindValue, kindPath, errors) is not null,
            FaultKind.SmsDuplicate => (duplicate = SmsDuplicateOptions.Read(kindValue, kindPath, errors)) is not null,
            FaultKind.SmsReorder => (reorder = SmsReorderOptions.Read(kindValue, kindPath, errors)) is not null,
            FaultKind.SmsAfterExpiry => (afterExpiry = SmsAfterExpiryOptions.Read(kindValue, kindPath, errors)) is not null,
            _ => false,
        };

        var explicitName = name is not null;
        name ??= $"{kind.Name()}:{node}:{method}";
        if (names.TryGetValue(name, out var seen))
        {
            if (explicitName)
            {
                errors.Add(FaultJson.Join(path, "name"), $"\"{name}\" is used by another rule of this request; names must be unique");
            }
            else
            {
                names[name] = seen + 1;
                name = $"{name}#{seen + 1}";
            }
        }
        else
        {
            names[name] = 1;
        }

        if (!kindOk || errors.Count != before)
        {
            return null;
        }

        return new FaultRule
        {
            Name = name,
            Description = description,
            Node = node,
            Method = method,
            Match = match,
            Probability = probability ?? FaultDefaults.Probability,
            Times = times is { } t ? (int)t : null,
            Start = start,
            Duration = duration,
            Ramp = ramp,
            Kind = kind,
            Latency = latency,
            Error = error,
            Decline = decline,
            Hang = hang,
            Reset = reset,
            Flap = flap,
            Capacity = capacity,
            RateLimit = rateLimit,
            SmsDelay = smsDelay,
            SmsDuplicate = duplicate,
            SmsReorder = reorder,
            SmsAfterExpiry = afterExpiry,
            Json = explicitName ? Compact(value) : WithName(value, name),
        };
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
            copy[property.Key] = property.Value;
        }

        return copy.ToJsonString();
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message.TrimEnd('.');
    }
}

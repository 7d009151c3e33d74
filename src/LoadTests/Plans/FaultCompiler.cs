using System.Text.Json.Nodes;

namespace PaySim.LoadTests.Plans;

/// <summary>The plan's <c>faults</c>: fault-engine rules with a start and a window, scaled by --duration, checked by the fault engine's own parser when the topology is known.</summary>
internal static class FaultCompiler
{
    public static List<TimedFaultRule> Compile(List<JsonObject>? faults, string p, TimeSpan planDuration, int? embeddedNodes, Func<TimeSpan, TimeSpan> scale)
    {
        var result = new List<TimedFaultRule>();
        for (var i = 0; i < (faults?.Count ?? 0); i++)
        {
            var f = $"{p} faults[{i}]";
            var rule = (JsonObject)faults![i].DeepClone();
            var name = rule["name"] is JsonValue nv && nv.TryGetValue<string>(out var n) && !string.IsNullOrWhiteSpace(n)
                ? n
                : throw new PlanException($"{f}.name: required (a unique rule name, used to clear the rule when its window ends).");
            if (result.Any(r => r.Name == name))
            {
                throw new PlanException($"{f}.name: \"{name}\" appears twice; rule names must be unique.");
            }

            var start = ReadDuration(rule, "start", f) ?? TimeSpan.Zero;
            var duration = ReadDuration(rule, "duration", f);
            if (start >= planDuration)
            {
                throw new PlanException($"{f}.start: {DurationText.Format(start)} is not inside the plan's duration ({DurationText.Format(planDuration)}).");
            }

            if (duration is { } d && d <= TimeSpan.Zero)
            {
                throw new PlanException($"{f}.duration: must be > 0.");
            }

            // The timeline applies the rule at its (scaled) start; the fault engine only sees the window's length.
            rule.Remove("start");
            var scaledDuration = duration is null ? (TimeSpan?)null : scale(duration.Value);
            if (scaledDuration is { } sd)
            {
                rule["duration"] = DurationText.Format(sd);
            }

            if (rule["ramp"] is JsonObject ramp && ramp["over"] is JsonValue over && over.TryGetValue<string>(out var overText)
                && DurationText.TryParse(overText, out var overSpan))
            {
                ramp["over"] = DurationText.Format(scale(overSpan));
            }

            // The embedded topology is known now, so the fault engine's own parser can refuse a bad rule before anything starts.
            if (embeddedNodes is { } nodes)
            {
                FaultRuleCheck.Validate(rule, nodes, f);
            }

            result.Add(new TimedFaultRule(name, scale(start), scaledDuration, rule));
        }

        return result;
    }

    private static TimeSpan? ReadDuration(JsonObject rule, string field, string f)
    {
        if (rule[field] is null)
        {
            return null;
        }

        var text = rule[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : rule[field]!.ToJsonString();
        return DurationText.Parse(text, $"{f}.{field}");
    }
}

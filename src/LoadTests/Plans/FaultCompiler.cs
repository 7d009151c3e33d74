using System.Text.Json.Nodes;
using PaySim.Simulator.Faults;

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
            var scaledDuration = duration is null ? (TimeSpan?)null : Scaled(duration.Value, $"{f}.duration", planDuration, scale);
            if (scaledDuration is { } sd)
            {
                rule["duration"] = DurationText.Format(sd);
            }

            if (rule["ramp"] is JsonObject ramp && ramp["over"] is JsonValue over && over.TryGetValue<string>(out var overText)
                && DurationText.TryParse(overText, out var overSpan))
            {
                ramp["over"] = DurationText.Format(Scaled(overSpan, $"{f}.ramp.over", planDuration, scale));
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

    /// <summary>
    /// A span of the rule scaled with --duration. The fault engine takes at most <see cref="FaultDefaults.MaxSchedule"/>;
    /// when only the scaling took it over, the line names the plan's value, the scaled one and the longest --duration that fits,
    /// instead of the engine's line about a value the user never wrote.
    /// </summary>
    private static TimeSpan Scaled(TimeSpan written, string field, TimeSpan planDuration, Func<TimeSpan, TimeSpan> scale)
    {
        var scaled = scale(written);
        if (scaled > FaultDefaults.MaxSchedule && written <= FaultDefaults.MaxSchedule)
        {
            var longest = TimeSpan.FromSeconds(Math.Floor(scale(planDuration).TotalSeconds * FaultDefaults.MaxSchedule.Ticks / scaled.Ticks));
            throw new PlanException(
                $"{field}: the plan's {DurationText.Format(written)}, scaled with --duration to {DurationText.Format(scaled)}, is more than the fault engine's limit of {DurationText.Format(FaultDefaults.MaxSchedule)}; give a --duration of at most {DurationText.Format(longest)}.");
        }

        return scaled;
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

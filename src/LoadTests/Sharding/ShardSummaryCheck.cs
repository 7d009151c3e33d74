using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Sharding;

/// <summary>
/// A shard's summary.json as <c>merge</c> needs it: no <c>null</c> where the summary's types promise a value
/// (<c>"scenarios": null</c>, <c>"steps": [null]</c>, <c>"statusCodes": null</c>), found by walking the types' own
/// nullability so a field added later is covered, every count a whole number from 0 to <see cref="MaxCount"/> (so
/// shards' counts add without overflow and no count goes negative), a run's duration above 0, at least one scenario,
/// and every histogram decodable. A damaged file is refused with one line naming the file and the field instead of
/// failing half-way through the merge or merging into a wrong verdict.
/// </summary>
internal static class ShardSummaryCheck
{
    /// <summary>The largest count a summary may hold: 2^53 - 1, exact in every JSON reader; far beyond any run's.</summary>
    public const long MaxCount = (1L << 53) - 1;

    public static void Check(RunSummary summary, string file)
    {
        if (!double.IsFinite(summary.DurationS) || summary.DurationS <= 0)
        {
            throw new PlanException($"merge: {file}: durationS: must be a number of seconds above 0, got {summary.DurationS.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        if (summary.Scenarios is { Count: 0 })
        {
            throw new PlanException($"merge: {file}: scenarios: is empty; a run's summary has one entry per scenario of its plan.");
        }

        // An abortOnFail stop fails its claim in the merged verdict (ShardMerger): read only as run writes it.
        if (summary.Extra["stoppedByClaim"] is { } stop
            && !(stop is JsonObject o && o["claim"] is JsonValue claim && claim.GetValueKind() == JsonValueKind.String
                && o["atS"] is JsonValue atS && atS.GetValueKind() == JsonValueKind.Number && o["observed"] is JsonValue observed && observed.GetValueKind() == JsonValueKind.String))
        {
            throw new PlanException($"merge: {file}: stoppedByClaim: must be an object {{\"claim\": text, \"atS\": seconds, \"observed\": text}}, as `run` writes it when an abortOnFail claim stopped the run; got {Excerpt(stop.ToJsonString())}.");
        }

        Walk(summary, $"merge: {file}:", string.Empty, new NullabilityInfoContext());
        for (var i = 0; i < summary.Claims.Count; i++)
        {
            if (!Expression.TryParse(ClaimMetrics.Normalise(summary.Claims[i].Expression), out _, out var error))
            {
                throw new PlanException($"merge: {file}: claims[{i}].expression: {error}");
            }
        }

        for (var i = 0; i < summary.Scenarios.Count; i++)
        {
            var scenario = summary.Scenarios[i];
            Decode(scenario, file, $"scenarios[{i}]");
            for (var j = 0; j < scenario.Steps.Count; j++)
            {
                Decode(scenario.Steps[j], file, $"scenarios[{i}].steps[{j}]");
            }
        }
    }

    private static void Walk(object value, string p, string path, NullabilityInfoContext nullability)
    {
        // Collections and objects first: a computed property (RunSummary.Verdict) reads them.
        var properties = value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(pi => pi.CanRead && pi.CanWrite && pi.GetIndexParameters().Length == 0 && pi.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .OrderBy(pi => pi.PropertyType == typeof(string));
        foreach (var property in properties)
        {
            var field = Join(path, JsonNamingPolicy.CamelCase.ConvertName(property.Name));
            var info = nullability.Create(property);
            var child = property.GetValue(value);
            if (child is null)
            {
                if (info.ReadState == NullabilityState.NotNull)
                {
                    throw new PlanException($"{p} {field}: must be {What(property.PropertyType)}, got null.");
                }

                continue;
            }

            if (child is string)
            {
                continue;
            }

            if (child is long or int)
            {
                CheckCount(Convert.ToInt64(child, System.Globalization.CultureInfo.InvariantCulture), p, field);
                continue;
            }

            if (child is IDictionary map)
            {
                var valueNullable = info.GenericTypeArguments is { Length: 2 } args && args[1].ReadState != NullabilityState.NotNull;
                foreach (DictionaryEntry entry in map)
                {
                    if (entry.Value is null && !valueNullable && !property.PropertyType.GetGenericArguments()[1].IsValueType)
                    {
                        throw new PlanException($"{p} {field}.{entry.Key}: must not be null.");
                    }

                    if (entry.Value is long or int)
                    {
                        CheckCount(Convert.ToInt64(entry.Value, System.Globalization.CultureInfo.InvariantCulture), p, $"{field}.{entry.Key}");
                    }
                }
            }
            else if (child is IList list)
            {
                var elementType = property.PropertyType.IsGenericType ? property.PropertyType.GetGenericArguments()[0] : typeof(object);
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is not { } element)
                    {
                        throw new PlanException($"{p} {field}[{i}]: must be {What(elementType)}, got null.");
                    }

                    if (IsSummaryType(element.GetType()))
                    {
                        Walk(element, p, $"{field}[{i}]", nullability);
                    }
                }
            }
            else if (IsSummaryType(child.GetType()))
            {
                Walk(child, p, field, nullability);
            }
        }
    }

    private static void CheckCount(long value, string p, string field)
    {
        if (value is < 0 or > MaxCount)
        {
            throw new PlanException($"{p} {field}: must be a count from 0 to {MaxCount}, got {value}.");
        }
    }

    private static void Decode(StepSummary step, string file, string field)
    {
        try
        {
            _ = step.HistogramObject;
        }
        catch (Exception ex) when (ex is LoadConfigException or ArgumentException or FormatException or IndexOutOfRangeException
            or InvalidOperationException or OverflowException or NotSupportedException or InvalidDataException or IOException)
        {
            throw new PlanException($"merge: {file}: {field}.histogram: not a serialised latency histogram (base64 of HdrHistogram's compressed encoding, as `run` writes it): {ex.Message.Split('\n')[0].TrimEnd('.')}.", ex);
        }
    }

    private static string Excerpt(string json) => json.Length <= 60 ? json : json[..57] + "…";

    private static bool IsSummaryType(Type type) => type.Namespace == typeof(RunSummary).Namespace && type.IsClass;

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string What(Type type) =>
        type == typeof(string) ? "a string"
        : typeof(IDictionary).IsAssignableFrom(type) ? "an object"
        : typeof(IList).IsAssignableFrom(type) ? "an array"
        : "an object";
}

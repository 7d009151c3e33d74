using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PaySim.LoadTests.Plans.Documents;

namespace PaySim.LoadTests.Plans;

/// <summary>
/// Refuses a <c>null</c> anywhere the plan's schema wants a value: a field (<c>"claims": null</c> would otherwise read
/// as "no claims" and pass), an array element (<c>"faults": [null]</c>, <c>"scenarios": [null]</c>, <c>"load": [null]</c>)
/// or a map value (<c>"hooks": {"crash": null}</c>); one line naming it and what it must be. It walks the JSON beside the
/// document types, so a field added to the schema later is covered without another check. Fault rules and risk rules
/// (<see cref="JsonNode"/> in the document) are not walked: their own parsers read them, and <c>"risk": null</c> is theirs to read.
/// </summary>
internal static class PlanNulls
{
    /// <summary>How a plan's JSON is read beside its document types: comments and trailing commas, as the plan reader allows.</summary>
    internal static readonly JsonDocumentOptions Reading = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Call after the JSON deserialised, so that it is known to be valid and of the right shape.</summary>
    public static void Check(string json, string p)
    {
        if (JsonNode.Parse(json, documentOptions: Reading) is JsonObject root)
        {
            Walk(root, typeof(PlanDocument), p, string.Empty);
        }
    }

    private static void Walk(JsonNode? node, Type type, string p, string field)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        // "risk": null is the risk parser's own "no rules" (the target's stay); an element of "faults" has no such meaning.
        if (node is null && typeof(JsonNode).IsAssignableFrom(type) && !field.EndsWith(']'))
        {
            return;
        }

        if (node is null)
        {
            throw new PlanException($"{p} {field}: must be {What(type, field)}, got null{(field.EndsWith(']') ? string.Empty : "; leave the field out for its default")}.");
        }

        if (typeof(JsonNode).IsAssignableFrom(type))
        {
            return;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) && node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Walk(array[i], type.GetGenericArguments()[0], p, $"{field}[{i}]");
            }
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && node is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                Walk(value, type.GetGenericArguments()[1], p, $"{field}.{key}");
            }
        }
        else if (type.Namespace == typeof(PlanDocument).Namespace && node is JsonObject obj)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var name = JsonName(property);
                if (obj.TryGetPropertyValue(name, out var value))
                {
                    Walk(value, property.PropertyType, p, field.Length == 0 ? name : $"{field}.{name}");
                }
            }
        }
    }

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static string What(Type type, string field)
    {
        if (type == typeof(string))
        {
            return "a string";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type.IsPrimitive || type == typeof(decimal))
        {
            return "a number";
        }

        // A bare JsonNode element (an entry of "claims" or "catches") is a string or an object; its own reader says which.
        if (type == typeof(JsonNode))
        {
            return field.StartsWith("claims[", StringComparison.Ordinal) ? "a claim text or an object" : "a string or an object";
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var element = type.GetGenericArguments()[0];
            return element == typeof(string) ? "an array of strings"
                : element == typeof(JsonNode) ? (field == "claims" ? "an array of claim texts or objects" : "an array of strings or objects")
                : "an array of objects";
        }

        return "an object";
    }
}

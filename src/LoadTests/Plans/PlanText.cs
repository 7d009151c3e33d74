using System.Globalization;
using System.Text.Json;

namespace PaySim.LoadTests.Plans;

/// <summary>
/// Refuses a string of the plan, or a field name, that is not text: a <c>\ud800</c>-<c>\udfff</c> escape without its
/// pair (a lone UTF-16 surrogate) is valid JSON syntax but no character, and reading it as a string throws deep in the
/// reader; here it is one line naming the field, exit 2, before the plan is read any further.
/// </summary>
internal static class PlanText
{
    /// <summary>What the line says after the field.</summary>
    public const string LoneSurrogate = "holds a \\ud800-\\udfff escape without its pair (a lone UTF-16 surrogate), which is no character; write the character itself, or a complete surrogate pair";

    /// <summary>
    /// Call before the plan is deserialised. Nesting past the reader's depth is thrown here, wherever it is: the
    /// deserializer stops at the first unknown field or wrong type before it reaches the depth inside it, so
    /// {"a": [[[…70 levels…]]]} read as 'unknown field "a"'. Any other fault of the text is left to the deserializer,
    /// which says where it is by field.
    /// </summary>
    public static void Check(string json, string p)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, PlanNulls.Reading);
        }
        catch (JsonException ex) when (!IsTooDeep(ex))
        {
            return;
        }

        using (doc)
        {
            Walk(doc.RootElement, "$", p);
        }
    }

    /// <summary>Whether <paramref name="ex"/> is the reader refusing nesting past its depth (64, System.Text.Json's default).</summary>
    public static bool IsTooDeep(JsonException ex) => ex.Message.Contains("maximum configured depth", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="ex"/> (or what it wraps) is the reader refusing a lone surrogate.</summary>
    public static bool IsLoneSurrogate(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is InvalidOperationException && ex.Message.Contains("UTF-16", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static void Walk(JsonElement e, string path, string p)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                try
                {
                    _ = e.GetString();
                }
                catch (InvalidOperationException ex) when (IsLoneSurrogate(ex))
                {
                    throw new PlanException($"{p} {Shown(path)}: {LoneSurrogate}.", ex);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    Walk(item, $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]", p);
                    i++;
                }

                break;
            case JsonValueKind.Object:
                var n = 0;
                foreach (var property in e.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException ex) when (IsLoneSurrogate(ex))
                    {
                        throw new PlanException($"{p} {Shown(path)}: field {n + 1}'s name {LoneSurrogate}.", ex);
                    }

                    Walk(property.Value, name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$') ? $"{path}.{name}" : $"{path}['{name}']", p);
                    n++;
                }

                break;
        }
    }

    private static string Shown(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}

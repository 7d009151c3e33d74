using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using PaySim.Wallet.Errors;

namespace PaySim.Wallet.Api;

internal static partial class WalletJson
{
    /// <summary>
    /// Replies, successes and errors alike (WalletEndpoints.WriteAsync and WriteErrorAsync both write with these):
    /// camelCase, nulls left out, and text written as it is, so a message reads <c>unknown field 'pni'</c> and a phone
    /// <c>+447700900123</c>, not <c>\u0027pni\u0027</c> and <c>\u002B44…</c>.
    /// </summary>
    /// <remarks>
    /// Relaxed escaping is safe here because no reply is HTML or goes into HTML: every body this serializer writes is
    /// sent as its own <c>application/json; charset=utf-8</c> response (WriteAsJsonAsync), the wallet serves no page
    /// and no JSONP or script, and the only other body is /metrics, Prometheus text written without this serializer.
    /// Quotes, backslashes and control characters are still escaped, so the JSON stays valid; what is no longer escaped
    /// (<c>' + &lt; &gt; &amp;</c> and non-ASCII letters) matters only to a page that pastes the JSON into HTML. Should
    /// the wallet ever serve HTML, or embed a reply in a page, that page must encode for HTML itself.
    /// </remarks>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Request bodies: a field the call does not take, or a field given twice, is refused rather than silently
    /// ignored or overwritten (a typo in <c>pin</c> must not pass as "no PIN"; a second <c>amount</c> must not win).
    /// </summary>
    public static readonly JsonSerializerOptions Requests = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        // A number is a JSON number: "100" in quotes is refused, not read as 100 (is "1.00" a hundred or one?).
        NumberHandling = JsonNumberHandling.Strict,
    };

    /// <summary>One line for a body <typeparamref name="T"/> could not be read from, naming the field.</summary>
    public static string Describe<T>(JsonException e)
    {
        var field = QuotedName().Match(e.Message) is { Success: true } m ? m.Groups[1].Value : null;
        if (field is not null && e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return $"unknown field {Echo.Quoted(field)} in the body; {Takes<T>()}";
        }

        if (e.Path == "$" && e.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            // An array, string, number or true where the object belongs: say what the body is, not the .NET type it fills.
            return $"the body must be a JSON object; {Takes<T>()}";
        }

        if (e.Message.Contains("Expected depth to be zero", StringComparison.Ordinal))
        {
            return "the body ends before its JSON object or array is closed";
        }

        if (field is not null && e.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return $"field {Echo.Quoted(field)} appears more than once in the body";
        }

        if (e.Path is { Length: > 2 } path && e.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            var name = path[2..];
            var property = Requests.GetTypeInfo(typeof(T)).Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            var type = property?.PropertyType;
            type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
            return type switch
            {
                _ when type == typeof(long) || type == typeof(int) => WholeNumberRule(name, property!, type),
                _ when type == typeof(string) => $"field '{name}' must be text: a JSON string of valid Unicode (no unpaired surrogate escape such as \\ud800)",
                _ when type == typeof(bool) => $"field '{name}' must be true or false",
                _ => $"field '{name}' has the wrong type for this call",
            };
        }

        return $"The body is not valid JSON for this call ({e.Path}): {e.Message.Split(". ")[0]}.";
    }

    private static string Takes<T>()
    {
        var fields = Requests.GetTypeInfo(typeof(T)).Properties.Select(p => p.Name).ToList();
        return fields.Count == 0 ? "this call takes no fields (send no body, or {})" : $"this call takes {string.Join(", ", fields)}";
    }

    // The field's own range (WholeNumberAttribute) where it declares one, else its type's.
    private static string WholeNumberRule(string name, JsonPropertyInfo property, Type type)
    {
        var declared = property.AttributeProvider?.GetCustomAttributes(typeof(WholeNumberAttribute), inherit: false).OfType<WholeNumberAttribute>().FirstOrDefault();
        var (min, max) = declared is not null ? (declared.Min, declared.Max) : type == typeof(int) ? (int.MinValue, int.MaxValue) : (long.MinValue, long.MaxValue);
        var note = declared?.Note is { } n ? " " + n : string.Empty;
        return $"field '{name}' must be a whole number written as digits (no quotes, fraction or exponent) from {min} to {max}{note}";
    }

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedName();
}

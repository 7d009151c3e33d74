using System.Buffers;
using System.Text;
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

    /// <summary>
    /// Where <paramref name="body"/> stops being UTF-8: the index of its first byte that starts no valid sequence
    /// (or a sequence cut short), or null when it is all valid. JSON text is UTF-8 (RFC 8259 §8.1).
    /// </summary>
    public static int? InvalidUtf8At(ReadOnlySpan<byte> body)
    {
        var at = 0;
        while (at < body.Length)
        {
            if (Rune.DecodeFromUtf8(body[at..], out _, out var consumed) != OperationStatus.Done)
            {
                return at;
            }

            at += consumed;
        }

        return null;
    }

    /// <summary>One line for a body <typeparamref name="T"/> could not be read from, naming the field.</summary>
    public static string Describe<T>(JsonException e, ReadOnlySpan<byte> body)
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
                _ when type == typeof(string) => StringRule(name, body),
                _ when type == typeof(bool) => $"field '{name}' must be true or false",
                _ => $"field '{name}' has the wrong type for this call",
            };
        }

        return $"The body is not valid JSON for this call ({e.Path}): {e.Message.Split(". ")[0]}.";
    }

    // A string field refused for its kind of value says which kind it got; one refused although it is a JSON string
    // held an escape that is no Unicode text (an unpaired surrogate such as \ud800: invalid UTF-8 is refused before).
    private static string StringRule(string name, ReadOnlySpan<byte> body) => TopLevelValueKind(body, name) switch
    {
        JsonTokenType.String or null => $"field '{name}' must be text: a JSON string of valid Unicode (no unpaired surrogate escape such as \\ud800)",
        JsonTokenType.Number => $"field '{name}' must be a JSON string, got a number",
        JsonTokenType.True or JsonTokenType.False => $"field '{name}' must be a JSON string, got true or false",
        JsonTokenType.StartObject => $"field '{name}' must be a JSON string, got an object",
        JsonTokenType.StartArray => $"field '{name}' must be a JSON string, got an array",
        var other => $"field '{name}' must be a JSON string, got {other}",
    };

    // The kind of value the body's top-level field <paramref name="name"/> has (first occurrence, any letter case,
    // as the reader matches names), or null when the body cannot be read that far.
    private static JsonTokenType? TopLevelValueKind(ReadOnlySpan<byte> body, string name)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var matches = string.Equals(reader.GetString(), name, StringComparison.OrdinalIgnoreCase);
                reader.Read();
                if (matches)
                {
                    return reader.TokenType;
                }

                reader.Skip();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // The body breaks off or holds an escape the reader cannot decode before the field: say what today says.
        }

        return null;
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

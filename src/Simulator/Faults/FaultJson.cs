using System.Globalization;
using System.Text.Json;
using PaySim.Contracts.Durations;

namespace PaySim.Simulator.Faults;

/// <summary>
/// Small readers over <see cref="JsonElement"/> that report into <see cref="FaultRuleErrors"/>
/// instead of throwing, so one request yields every bad field at once.
/// </summary>
internal static class FaultJson
{
    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 32,

        // {"name":"a","name":"b"} would silently keep one of them; refuse it like an unknown field.
        AllowDuplicateProperties = false,
    };

    /// <summary>
    /// Reports every string and field name of the document that is not text: JSON may escape a lone UTF-16
    /// surrogate (<c>"\ud800"</c>), which no reader can turn into a string. Run once on the whole document
    /// before reading it, so every reader after it may call <see cref="JsonElement.GetString"/>.
    /// </summary>
    /// <returns>false when it reported any.</returns>
    public static bool CheckText(JsonElement value, string path, FaultRuleErrors errors)
    {
        var before = errors.Count;
        Walk(value, path, errors);
        return errors.Count == before;

        static void Walk(JsonElement value, string path, FaultRuleErrors errors)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String when !IsText(() => value.GetString()):
                    errors.Add(path.Length == 0 ? "json" : path, NotText);
                    break;
                case JsonValueKind.Object:
                    foreach (var property in value.EnumerateObject())
                    {
                        if (!IsText(() => property.Name))
                        {
                            errors.Add(Join(path, "(field name)"), NotText);
                            continue;
                        }

                        Walk(property.Value, Join(path, property.Name), errors);
                    }

                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        Walk(item, $"{path}[{i++}]", errors);
                    }

                    break;
            }
        }
    }

    public const string NotText = "not valid text (unpaired UTF-16 surrogate)";

    private static bool IsText(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static string Describe(JsonElement value) =>
        value.ValueKind switch
        {
            JsonValueKind.String => $"\"{value.GetString()}\"",
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            _ => value.GetRawText(),
        };

    /// <summary>Checks that <paramref name="value"/> is an object with only allowed fields.</summary>
    public static bool CheckObject(JsonElement value, string path, IReadOnlyCollection<string> allowed, FaultRuleErrors errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path.Length == 0 ? "rule" : path, $"must be a JSON object, got {Describe(value)}");
            return false;
        }

        var ok = true;
        foreach (var property in value.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                // A kind without options (outage, notServing, smsDrop) says so instead of an empty "allowed: ".
                errors.Add(Join(path, property.Name), allowed.Count == 0
                    ? $"unknown field; {(path.Length == 0 ? "it" : path)} takes no fields, give {{}} (or true)"
                    : $"unknown field; allowed: {string.Join(", ", allowed)}");
                ok = false;
            }
        }

        return ok;
    }

    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>A string field; longer than <paramref name="maxLength"/> is an error naming the field and the limit.</summary>
    public static string? ReadString(JsonElement obj, string name, string path, FaultRuleErrors errors, int maxLength = int.MaxValue)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(Join(path, name), $"must be a string, got {Describe(value)}");
            return null;
        }

        var text = value.GetString();
        if (text is not null && text.Length > maxLength)
        {
            errors.Add(Join(path, name), $"is {text.Length} characters; at most {maxLength} are allowed");
            return null;
        }

        return text;
    }

    /// <summary>
    /// "not valid JSON at line L, position P: {the parser's first sentence}", for any JSON a control call reads. A
    /// duplicate field is found after the parse, so the parser gives no place: it is then the second occurrence of the
    /// field in <paramref name="json"/> (1-based line and byte in the line, as the parser counts), or no place at all.
    /// </summary>
    public static string NotJson(JsonException ex, string json)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var end = ex.Message.IndexOf(". ", StringComparison.Ordinal);
        var first = end > 0 ? ex.Message[..end] : ex.Message.TrimEnd('.');
        if (ex.LineNumber is { } line)
        {
            return $"not valid JSON at line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}: {first}";
        }

        return DuplicateAt(json) is var (l, p)
            ? $"not valid JSON at line {l}, position {p}: {first}"
            : $"not valid JSON: {first}";
    }

    // Where the first field that repeats a name of its object starts (the opening quote), or null.
    private static (long Line, long Position)? DuplicateAt(string json)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = DocumentOptions.MaxDepth });
        var objects = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        objects.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        objects.Pop();
                        break;
                    case JsonTokenType.PropertyName when !objects.Peek().Add(reader.GetString()!):
                        var start = (int)reader.TokenStartIndex;
                        var lineStart = Array.LastIndexOf(bytes, (byte)'\n', Math.Max(0, start - 1)) + 1;
                        if (start == 0)
                        {
                            lineStart = 0;
                        }

                        return (bytes.AsSpan(0, start).Count((byte)'\n') + 1, start - lineStart + 1);
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }

        return null;
    }

    /// <summary>
    /// A message a fault puts in a reply (<c>error.message</c>, <c>decline.message</c>): a string of at most
    /// <see cref="FaultDefaults.MaxMessage"/> characters on one line (no control characters), as a gRPC status
    /// message must be; anything else is an error naming the field.
    /// </summary>
    public static string? ReadMessage(JsonElement obj, string name, string path, FaultRuleErrors errors)
    {
        var text = ReadString(obj, name, path, errors, FaultDefaults.MaxMessage);
        if (text is not null && text.Any(char.IsControl))
        {
            errors.Add(Join(path, name), "must be one line, without line breaks or other control characters");
            return null;
        }

        return text;
    }

    /// <summary>A duration field of at most <paramref name="max"/> (<see cref="FaultDefaults.MaxDelay"/> or <see cref="FaultDefaults.MaxSchedule"/>).</summary>
    public static TimeSpan? ReadDuration(JsonElement obj, string name, string path, FaultRuleErrors errors, TimeSpan max, bool positive = false)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        return ReadDuration(value, Join(path, name), errors, max, positive);
    }

    public static TimeSpan? ReadDuration(JsonElement value, string field, FaultRuleErrors errors, TimeSpan max, bool positive = false)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(field, $"{Describe(value)} is not {HumanDuration.Allowed}");
            return null;
        }

        if (!HumanDuration.TryParse(value.GetString(), max, out var duration, out var problem))
        {
            errors.Add(field, problem switch
            {
                DurationProblem.Negative => $"{Describe(value)} is negative; must be 0 or more",
                DurationProblem.TooLong => $"{Describe(value)} is more than the limit of {HumanDuration.Format(max)}",
                _ => $"{Describe(value)} is not {HumanDuration.Allowed}",
            });
            return null;
        }

        if (positive && duration == TimeSpan.Zero)
        {
            // "0.0004ms" is well formed but rounds to 0 (durations count whole microseconds): say so.
            errors.Add(field, $"{Describe(value)} {HumanDuration.NotPositive(value.GetString())}");
            return null;
        }

        return duration;
    }

    public static double? ReadNumber(JsonElement obj, string name, string path, FaultRuleErrors errors, double min, double max)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || double.IsNaN(number))
        {
            errors.Add(Join(path, name), $"must be a number between {Invariant(min)} and {Invariant(max)}, got {Describe(value)}");
            return null;
        }

        if (number < min || number > max)
        {
            errors.Add(Join(path, name), $"{Invariant(number)} is outside {Invariant(min)}–{Invariant(max)}");
            return null;
        }

        return number;
    }

    public static long? ReadInteger(JsonElement obj, string name, string path, FaultRuleErrors errors, long min, long max)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        // A zero fraction (1.0, 1e2) is that whole number, as JSON Schema counts it and as the load-test plans read
        // their whole numbers (docs/plans.md): what a schema-checked editor accepts is not refused here.
        if (value.ValueKind != JsonValueKind.Number || !TryGetWholeNumber(value, out var number))
        {
            errors.Add(Join(path, name), $"must be a whole number between {min} and {max}, got {Describe(value)}");
            return null;
        }

        if (number < min || number > max)
        {
            errors.Add(Join(path, name), $"{number} is outside {min}–{max}");
            return null;
        }

        return number;
    }

    /// <summary>A JSON number that is a whole number: an integer literal, or one with a zero fraction or exponent (<c>1.0</c>, <c>1e2</c>).</summary>
    internal static bool TryGetWholeNumber(JsonElement value, out long number)
    {
        if (value.TryGetInt64(out number))
        {
            return true;
        }

        if (value.TryGetDecimal(out var d) && d == decimal.Truncate(d) && d >= long.MinValue && d <= long.MaxValue)
        {
            number = (long)d;
            return true;
        }

        number = 0;
        return false;
    }

    public static bool? ReadBoolean(JsonElement obj, string name, string path, FaultRuleErrors errors)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(Join(path, name), $"must be true or false, got {Describe(value)}");
            return null;
        }

        return value.GetBoolean();
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}

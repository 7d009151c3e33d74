using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace PaySim.Wallet.Configuration;

/// <summary>
/// Reads <see cref="WalletOptions"/> from a JSON file (<c>--config</c>): property names as in the options class
/// (camelCase or PascalCase), durations as <c>"00:00:02"</c>, modes as <c>"naive"</c>/<c>"resilient"</c>. An
/// unknown property, or one given twice (also in another letter case), is an error naming it, so a typo never
/// silently keeps a default and a second value never silently wins (as in the HTTP API's request bodies). A value of
/// the wrong kind is named with the form its field takes, never a .NET type.
/// </summary>
internal static partial class WalletOptionsFile
{
    private const string WhereTheFieldsAre = "docs/wallet.md, Configuration, lists the fields";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <exception cref="WalletOptionsException">The file is missing or not valid options JSON (one line).</exception>
    public static WalletOptions Load(string path)
    {
        if (Directory.Exists(path))
        {
            throw Refused($"config file '{path}' is a directory; give the JSON file, e.g. {Path.Combine(path, "wallet.json")}");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Refused($"config file '{path}' cannot be read: {e.Message}");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw Refused($"config file '{path}' is empty; it must be a JSON object of WalletOptions fields, e.g. {{\"port\": {WalletDefaults.Port}}}");
        }

        try
        {
            return JsonSerializer.Deserialize<WalletOptions>(text, Json)
                ?? throw Refused($"config file '{path}' must be a JSON object of WalletOptions fields, e.g. {{\"port\": {WalletDefaults.Port}}} (got null)");
        }
        catch (JsonException e)
        {
            throw Refused($"config file '{path}': {Describe(e, text)}");
        }
    }

    private static WalletOptionsException Refused(string line) => new([line]);

    // One line for what the serializer refused, naming the field and what it takes.
    private static string Describe(JsonException e, string text)
    {
        var quoted = QuotedName().Match(e.Message) is { Success: true } m ? m.Groups[1].Value : null;
        if (quoted is not null && e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return $"unknown field '{quoted}'; {WhereTheFieldsAre}";
        }

        if (quoted is not null && e.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return $"field '{quoted}' appears more than once";
        }

        if (e.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            if (e.Path is "$" or null)
            {
                return $"the file must be a JSON object of WalletOptions fields, e.g. {{\"port\": {WalletDefaults.Port}}} (got {Shorten(RawValue(text, null, null) ?? "?")})";
            }

            if (FieldPath().Match(e.Path) is { Success: true } path && Field(path.Groups["name"].Value) is { } field)
            {
                int? index = path.Groups["index"].Success ? int.Parse(path.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
                var raw = RawValue(text, path.Groups["name"].Value, index);
                return $"{field.Name} must be {Form(field, raw)}{(raw is null ? string.Empty : $" (got {Shorten(raw)})")}";
            }
        }

        return $"not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message.Split(" Path:")[0]}";
    }

    private static JsonPropertyInfo? Field(string name) =>
        Json.GetTypeInfo(typeof(WalletOptions)).Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    // What a field takes, in words, with its range where it has one and its default as the example.
    private static string Form(JsonPropertyInfo field, string? raw)
    {
        var type = field.PropertyType;
        var example = field.Get is { } get ? JsonSerializer.Serialize(get(new WalletOptions()), type, Json) : null;
        var like = example is null ? string.Empty : $", like {example}";
        var unquoted = Unquote(raw);
        return type switch
        {
            _ when type == typeof(int) => WalletOptionsValidator.WholeNumbers.TryGetValue(field.Name, out var range)
                ? $"a whole number {range.Min}..{range.Max}{like}"
                : $"a whole number{like}",
            _ when type == typeof(double) => $"a number{like}",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(string) => $"text (a JSON string){like}",
            _ when type == typeof(TimeSpan) => WalletOptionsValidator.Durations.ContainsKey(field.Name)
                ? $"a duration {WalletOptionsValidator.DurationRange(field.Name)} written [d.]hh:mm:ss[.fffffff]{like}"
                : $"a duration written [d.]hh:mm:ss[.fffffff]{like}",
            _ when type == typeof(Uri) => $"an absolute http(s) URL{like}{PortProblem(unquoted)}",
            _ when type == typeof(IReadOnlyList<Uri>) => $"a list of absolute http(s) URLs{like}{PortProblem(unquoted)}",
            _ when type == typeof(IReadOnlyList<string>) => $"a list of names, like [\"{Defects.WalletDefects.Names[0]}\"]",
            _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.CamelCase.ConvertName(n)))}",
            _ => $"a value like {example}",
        };
    }

    private static string? Unquote(string? raw)
    {
        try
        {
            return raw is not null && raw.StartsWith('"') ? JsonSerializer.Deserialize<string>(raw) : raw;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return raw;
        }
    }

    private static string PortProblem(string? url) => WalletOptionsValidator.UnreadableUrlPort(url) is { } why ? $"; {why}" : string.Empty;

    // The JSON text of the top-level field name (of its element index, for a list), or of the whole document.
    private static string? RawValue(string text, string? name, int? index)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var value = document.RootElement;
            if (name is null)
            {
                return value.GetRawText();
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var found = value.EnumerateObject().Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value).LastOrDefault();
            if (found is not { } element)
            {
                return null;
            }

            if (index is { } i && element.ValueKind == JsonValueKind.Array && i < element.GetArrayLength())
            {
                element = element[i];
            }

            return element.GetRawText();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The value as the file has it, on one line (a list or object may span several) and cut after 60 characters.
    private static string Shorten(string raw)
    {
        var line = Whitespace().Replace(raw, " ");
        return line.Length <= 60 ? line : line[..57] + "...";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedName();

    // $.name, $.name[3] or $['odd name'] from a JsonException's path.
    [GeneratedRegex(@"^\$(?:\.(?<name>[^.\[]+)|\['(?<name>[^']*)'\])(?:\[(?<index>[0-9]+)\])?")]
    private static partial Regex FieldPath();
}

using System.Text.RegularExpressions;

namespace PaySim.LoadTests.Tests.Deploy;

/// <summary>
/// Just enough YAML for the manifests in deploy/k8s (no YAML package is pinned): block mappings and
/// sequences by indentation, "- key: value" items, quoted and plain scalars, "|" and ">-" block
/// scalars, "{}" and "---" documents. Maps are Dictionary&lt;string, object?&gt;, lists List&lt;object?&gt;, scalars string.
/// Anything else throws, so a manifest the checker cannot read fails the test instead of passing unread.
/// </summary>
internal static partial class MiniYaml
{
    public static IReadOnlyList<Dictionary<string, object?>> ParseDocuments(string text)
    {
        var docs = new List<Dictionary<string, object?>>();
        foreach (var chunk in DocumentSeparator().Split(text.Replace("\r\n", "\n", StringComparison.Ordinal)))
        {
            var lines = chunk.Split('\n').ToList();
            var i = 0;
            Skip(lines, ref i);
            if (i >= lines.Count)
            {
                continue;
            }

            var node = ParseNode(lines, ref i, Indent(lines[i]));
            Skip(lines, ref i);
            if (i < lines.Count)
            {
                throw new FormatException($"unexpected line: {lines[i]}");
            }

            docs.Add(node as Dictionary<string, object?> ?? throw new FormatException("a document must be a mapping"));
        }

        return docs;
    }

    /// <summary>Follows a dotted path of map keys ("spec.template.spec").</summary>
    public static object? At(object? node, string path)
    {
        foreach (var key in path.Split('.'))
        {
            node = node is Dictionary<string, object?> map ? map.GetValueOrDefault(key) : null;
        }

        return node;
    }

    public static string? Str(object? node, string path) => At(node, path) as string;

    public static IEnumerable<Dictionary<string, object?>> Maps(object? node, string path) =>
        (At(node, path) as List<object?> ?? []).OfType<Dictionary<string, object?>>();

    private static object? ParseNode(List<string> lines, ref int i, int indent) =>
        IsItem(lines[i].TrimStart()) ? ParseList(lines, ref i, indent) : ParseMap(lines, ref i, indent);

    private static Dictionary<string, object?> ParseMap(List<string> lines, ref int i, int indent)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            Skip(lines, ref i);
            if (i >= lines.Count || Indent(lines[i]) != indent || IsItem(lines[i].TrimStart()))
            {
                if (i < lines.Count && Indent(lines[i]) > indent)
                {
                    throw new FormatException($"bad indentation: {lines[i]}");
                }

                return map;
            }

            var m = KeyValue().Match(lines[i].Trim());
            if (!m.Success)
            {
                throw new FormatException($"not a key: value line: {lines[i]}");
            }

            var key = m.Groups[1].Value;
            var value = StripComment(m.Groups[2].Value).Trim();
            i++;
            if (!map.TryAdd(key, ParseValue(lines, ref i, indent, value)))
            {
                throw new FormatException($"duplicate key \"{key}\"");
            }
        }
    }

    private static List<object?> ParseList(List<string> lines, ref int i, int indent)
    {
        var list = new List<object?>();
        while (true)
        {
            Skip(lines, ref i);
            if (i >= lines.Count || Indent(lines[i]) != indent || !IsItem(lines[i].TrimStart()))
            {
                return list;
            }

            var content = lines[i].TrimStart()[1..].TrimStart();
            if (KeyValue().IsMatch(content))
            {
                // "- key: value": the item is a map whose keys line up with "key".
                lines[i] = new string(' ', indent + 2) + content;
                list.Add(ParseMap(lines, ref i, indent + 2));
            }
            else
            {
                i++;
                list.Add(ParseValue(lines, ref i, indent, StripComment(content).Trim()));
            }
        }
    }

    private static object? ParseValue(List<string> lines, ref int i, int indent, string value)
    {
        if (value is "|" or ">-" or ">" or "|-")
        {
            var block = new List<string>();
            while (i < lines.Count && (string.IsNullOrWhiteSpace(lines[i]) || Indent(lines[i]) > indent))
            {
                block.Add(lines[i]);
                i++;
            }

            while (block.Count > 0 && string.IsNullOrWhiteSpace(block[^1]))
            {
                block.RemoveAt(block.Count - 1);
            }

            var inner = block.Where(l => !string.IsNullOrWhiteSpace(l)).Select(Indent).DefaultIfEmpty(0).Min();
            var text = block.Select(l => l.Length >= inner ? l[inner..] : string.Empty);
            return value.StartsWith('|') ? string.Join('\n', text) + "\n" : string.Join(' ', text.Select(t => t.Trim()).Where(t => t.Length > 0));
        }

        if (value.Length == 0)
        {
            Skip(lines, ref i);
            if (i < lines.Count && (Indent(lines[i]) > indent || (Indent(lines[i]) == indent && IsItem(lines[i].TrimStart()))))
            {
                return ParseNode(lines, ref i, Indent(lines[i]));
            }

            return null;
        }

        if (value == "{}")
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }

        if (value == "[]")
        {
            return new List<object?>();
        }

        if (value.StartsWith('{') || value.StartsWith('['))
        {
            throw new FormatException($"flow collections are not supported: {value}");
        }

        return value.Length >= 2 && ((value[0] == '"' && value[^1] == '"') || (value[0] == '\'' && value[^1] == '\'')) ? value[1..^1] : value;
    }

    private static bool IsItem(string trimmed) => trimmed == "-" || trimmed.StartsWith("- ", StringComparison.Ordinal);

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    private static void Skip(List<string> lines, ref int i)
    {
        while (i < lines.Count && (string.IsNullOrWhiteSpace(lines[i]) || lines[i].TrimStart().StartsWith('#')))
        {
            i++;
        }
    }

    /// <summary>Drops " # comment" unless the # is inside quotes.</summary>
    private static string StripComment(string value)
    {
        var quote = '\0';
        for (var k = 0; k < value.Length; k++)
        {
            var c = value[k];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '#' && (k == 0 || value[k - 1] == ' '))
            {
                return value[..k];
            }
        }

        return value;
    }

    [GeneratedRegex(@"^---\s*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();

    [GeneratedRegex(@"^([A-Za-z0-9_.\-/]+):(?:\s+(.*))?$")]
    private static partial Regex KeyValue();
}

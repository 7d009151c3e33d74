using YamlDotNet.RepresentationModel;

namespace PaySim.LoadTests.Tests.Deploy;

/// <summary>
/// The manifests in deploy/ read with YamlDotNet (a full YAML 1.1 parser; it replaced a hand-written
/// subset reader) into plain values: maps are Dictionary&lt;string, object?&gt;, lists List&lt;object?&gt;,
/// scalars string. A file YamlDotNet cannot read throws, so the test fails instead of passing unread.
/// </summary>
internal static class Yaml
{
    public static IReadOnlyList<Dictionary<string, object?>> ParseDocuments(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents
            .Where(d => d.RootNode is not YamlScalarNode { Value: null or "" })
            .Select(d => Convert(d.RootNode) as Dictionary<string, object?> ?? throw new FormatException("a document must be a mapping"))
            .ToArray();
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

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(
            kv => ((YamlScalarNode)kv.Key).Value ?? throw new FormatException($"a map key must be a scalar ({kv.Key.Start})"),
            kv => Convert(kv.Value),
            StringComparer.Ordinal),
        YamlSequenceNode list => list.Children.Select(Convert).ToList(),
        YamlScalarNode scalar => scalar.Value,
        _ => throw new FormatException($"unsupported YAML node {node.NodeType} at {node.Start}"),
    };
}

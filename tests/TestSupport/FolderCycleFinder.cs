using System.Text;
using System.Text.RegularExpressions;

namespace PaySim.TestSupport;

/// <summary>
/// Finds cycles between sibling folders of one project by reading its sources: a folder is its
/// namespace, and a file depends on a folder when it imports its namespace (<c>using</c>,
/// <c>using static</c>, an alias) or names one of its types by a qualified name. Two folders with
/// the same parent must not depend on each other, directly or round a longer loop; a dependency
/// between folders deeper down counts for the sibling folders that contain them.
/// <para>
/// Shared by every test project (tests/TestSupport): each calls <see cref="ForProject"/> with its own
/// folder and root namespace.
/// </para>
/// </summary>
public sealed partial class FolderCycleFinder
{
    private readonly string _rootNamespace;
    private readonly List<SourceFile> _files = [];
    private readonly Dictionary<string, string> _folderOfNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _typesOfNamespace = new(StringComparer.Ordinal);

    public FolderCycleFinder(string sourceRoot, string rootNamespace)
    {
        _rootNamespace = rootNamespace;
        foreach (var path in Directory.EnumerateFiles(sourceRoot, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(sourceRoot, path).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal))
            {
                continue;
            }

            var code = StripCommentsAndStrings(File.ReadAllText(path));
            var folder = Path.GetDirectoryName(relative)?.Replace('\\', '/') ?? string.Empty;
            var ns = NamespaceDeclaration().Match(code) is { Success: true } m ? m.Groups[1].Value : rootNamespace;
            _files.Add(new SourceFile(relative, folder, ns, code));
            _folderOfNamespace.TryAdd(ns, folder);
            if (!_typesOfNamespace.TryGetValue(ns, out var types))
            {
                _typesOfNamespace[ns] = types = new HashSet<string>(StringComparer.Ordinal);
            }

            foreach (Match type in TypeDeclaration().Matches(code))
            {
                types.Add(type.Groups[1].Value);
            }
        }
    }

    /// <summary>The finder for <c>src/&lt;project&gt;</c> of this repository (found above the test's output folder).</summary>
    public static FolderCycleFinder ForProject(string projectFolder, string rootNamespace) =>
        new(Path.Combine(RepositoryRoot(), projectFolder), rootNamespace);

    /// <summary>Every folder-to-folder dependency with one file that proves it ("Faults/Engine" → "Calls").</summary>
    public IReadOnlyDictionary<(string From, string To), string> Dependencies()
    {
        var edges = new Dictionary<(string, string), string>();
        foreach (var file in _files)
        {
            foreach (var (ns, evidence) in References(file))
            {
                if (_folderOfNamespace.TryGetValue(ns, out var target) && target != file.Folder)
                {
                    edges.TryAdd((file.Folder, target), $"{file.Path} uses {evidence}");
                }
            }
        }

        return edges;
    }

    /// <summary>
    /// One line per knot of sibling folders that need each other: the shortest loop through its first
    /// folder, each step with a file that proves it ("A → B (A/One.cs uses using Demo.B) → A (...)").
    /// </summary>
    public IReadOnlyList<string> Cycles()
    {
        // Lift each dependency to the two sibling folders under the deepest folder that holds both.
        var siblings = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var ((from, to), evidence) in Dependencies())
        {
            if (SiblingPair(from, to) is not var (a, b))
            {
                continue;
            }

            if (!siblings.TryGetValue(a, out var targets))
            {
                siblings[a] = targets = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            targets.TryAdd(b, evidence);
        }

        var cycles = new List<string>();
        foreach (var component in StronglyConnected(siblings))
        {
            var loop = Describe(ShortestLoop(component[0], component, siblings), siblings);
            cycles.Add(component.Count == 2 ? loop : $"{string.Join(", ", component)} need each other, e.g. {loop}");
        }

        return cycles;
    }

    private IEnumerable<(string Namespace, string Evidence)> References(SourceFile file)
    {
        foreach (Match m in UsingDirective().Matches(file.Code))
        {
            var name = m.Groups["name"].Value;
            if (m.Groups["static"].Success || m.Groups["alias"].Success)
            {
                // "using static N.T;" and "using A = N.T;" name a type: its namespace is the prefix.
                name = LongestNamespacePrefix(name) ?? name;
            }

            yield return (name, $"using {m.Groups["name"].Value}");
        }

        foreach (Match m in QualifiedName().Matches(file.Code))
        {
            if (Resolve(m.Value, file.Namespace) is { } ns)
            {
                yield return (ns, m.Value);
            }
        }
    }

    // "Kinds.Error.GrpcStatusNames" seen from PaySim.Simulator.Faults.Engine is
    // PaySim.Simulator.Faults.Kinds.Error when that namespace declares GrpcStatusNames.
    private string? Resolve(string qualified, string fromNamespace)
    {
        var name = qualified.StartsWith("global::", StringComparison.Ordinal) ? qualified[8..] : qualified;
        var parts = name.Split('.');
        for (var scope = fromNamespace; ; scope = Parent(scope))
        {
            for (var i = parts.Length - 1; i >= 1; i--)
            {
                var ns = string.Join('.', parts[..i]);
                var full = scope.Length == 0 ? ns : $"{scope}.{ns}";
                if (_typesOfNamespace.TryGetValue(full, out var types) && types.Contains(parts[i]))
                {
                    return full;
                }
            }

            if (scope.Length == 0)
            {
                return null;
            }
        }
    }

    private string? LongestNamespacePrefix(string name)
    {
        for (var dot = name.LastIndexOf('.'); dot > 0; dot = name.LastIndexOf('.', dot - 1))
        {
            if (_folderOfNamespace.ContainsKey(name[..dot]))
            {
                return name[..dot];
            }
        }

        return null;
    }

    private static string Parent(string ns) => ns.LastIndexOf('.') is var dot and > 0 ? ns[..dot] : string.Empty;

    // "Faults/Engine" and "Faults/Kinds/Error" are siblings "Faults/Engine" and "Faults/Kinds";
    // a folder and its own subfolder are not siblings (null).
    private static (string, string)? SiblingPair(string from, string to)
    {
        var a = from.Length == 0 ? [] : from.Split('/');
        var b = to.Length == 0 ? [] : to.Split('/');
        var common = 0;
        while (common < a.Length && common < b.Length && a[common] == b[common])
        {
            common++;
        }

        if (common == a.Length || common == b.Length)
        {
            return null;
        }

        return (string.Join('/', a[..(common + 1)]), string.Join('/', b[..(common + 1)]));
    }

    // Tarjan's algorithm; components of one folder are no cycle (a folder may use itself).
    private static List<List<string>> StronglyConnected(Dictionary<string, Dictionary<string, string>> graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in graph.GetValueOrDefault(node)?.Keys ?? Enumerable.Empty<string>())
            {
                if (!index.TryGetValue(next, out var nextIndex))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], nextIndex);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);

                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    result.Add(component);
                }
            }
        }

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal).ToList())
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return result;
    }

    // Breadth-first from start back to start, inside one component: the shortest loop to print.
    private static List<string> ShortestLoop(string start, List<string> component, Dictionary<string, Dictionary<string, string>> graph)
    {
        var members = component.ToHashSet(StringComparer.Ordinal);
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var next in graph[node].Keys.Where(members.Contains).Order(StringComparer.Ordinal))
            {
                if (next == start)
                {
                    var loop = new List<string> { start };
                    for (var at = node; at != start; at = previous[at])
                    {
                        loop.Insert(1, at);
                    }

                    loop.Add(start);
                    return loop;
                }

                if (previous.TryAdd(next, node))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return [start, start];
    }

    private static string Describe(List<string> loop, Dictionary<string, Dictionary<string, string>> graph)
    {
        var text = new StringBuilder(loop[0]);
        for (var i = 1; i < loop.Count; i++)
        {
            text.Append(" → ").Append(loop[i]).Append(" (").Append(graph[loop[i - 1]][loop[i]]).Append(')');
        }

        return text.ToString();
    }

    /// <summary>The folder holding Simulator.sln, found above the test's output folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Simulator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Simulator.sln not found above " + AppContext.BaseDirectory);
    }

    // Comments and literals may mention a namespace without depending on it: blank them out in
    // one pass (a "//" inside a string is no comment, a quote inside a comment no string). The holes
    // of interpolated strings go too; a reference only there is missed, erring on the lenient side.
    private static string StripCommentsAndStrings(string code)
    {
        var text = new StringBuilder(code.Length);
        var i = 0;
        while (i < code.Length)
        {
            var c = code[i];
            var next = i + 1 < code.Length ? code[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                i = code.IndexOf('\n', i) is var eol and >= 0 ? eol : code.Length;
            }
            else if (c == '/' && next == '*')
            {
                i = code.IndexOf("*/", i + 2, StringComparison.Ordinal) is var close and >= 0 ? close + 2 : code.Length;
                text.Append(' ');
            }
            else if (c == '"' || (c is '@' or '$' && (next == '"' || (next is '@' or '$' && i + 2 < code.Length && code[i + 2] == '"'))))
            {
                i = SkipString(code, i);
                text.Append("\"\"");
            }
            else if (c == '\'')
            {
                i = SkipChar(code, i);
                text.Append("' '");
            }
            else
            {
                text.Append(c);
                i++;
            }
        }

        return text.ToString();
    }

    // From the prefix ($, @, $@) to just after the closing quote(s) of a string literal.
    private static int SkipString(string code, int start)
    {
        var i = start;
        var verbatim = false;
        while (code[i] != '"')
        {
            verbatim |= code[i] == '@';
            i++;
        }

        var quotes = 0;
        while (i < code.Length && code[i] == '"')
        {
            quotes++;
            i++;
        }

        if (quotes >= 3)
        {
            // Raw string: ends at the first run of as many quotes.
            var end = code.IndexOf(new string('"', quotes), i, StringComparison.Ordinal);
            return end < 0 ? code.Length : end + quotes;
        }

        if (quotes == 2)
        {
            return i; // ""
        }

        while (i < code.Length)
        {
            if (!verbatim && code[i] == '\\')
            {
                i += 2;
            }
            else if (code[i] == '"')
            {
                if (verbatim && i + 1 < code.Length && code[i + 1] == '"')
                {
                    i += 2;
                }
                else
                {
                    return i + 1;
                }
            }
            else
            {
                i++;
            }
        }

        return i;
    }

    private static int SkipChar(string code, int start)
    {
        var i = start + 1;
        while (i < code.Length && code[i] != '\'' && code[i] != '\n')
        {
            i += code[i] == '\\' ? 2 : 1;
        }

        return i + 1;
    }

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)\s*[;{]", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record(?:\s+struct|\s+class)?)\s+(\w+)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?<static>static\s+)?(?:(?<alias>\w+)\s*=\s*)?(?<name>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"(?<![\w.])(?:global::)?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")]
    private static partial Regex QualifiedName();







    private sealed record SourceFile(string Path, string Folder, string Namespace, string Code);
}

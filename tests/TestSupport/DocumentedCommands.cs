using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace PaySim.TestSupport;

/// <summary>One <c>dotnet run --project src/X -- args</c> that README.md, CONTRIBUTING.md or docs/*.md shows a user.</summary>
/// <param name="Where">file:line, for the failure message.</param>
/// <param name="Args">The arguments after <c>--</c>, as the shell would pass them (quotes removed).</param>
public sealed record DocumentedCommand(string Where, string Project, IReadOnlyList<string> Args)
{
    public override string ToString() => $"{Where}: {Project} -- {string.Join(' ', Args)}";
}

/// <summary>
/// Finds the commands the docs show, so a test can parse each with the program's own command line: a flag renamed
/// or removed, a plan renamed, a value that no longer parses fails the build's tests instead of a user's first try.
/// Skipped, because they are no command a user copies: synopses (<c>[--nodes 3]</c>, <c>csv|json</c>, <c>N</c>,
/// <c>...</c>) and a shell transcript whose next line is the <c>error:</c> it shows.
/// </summary>
public static partial class DocumentedCommands
{
    /// <summary>Every documented command of <paramref name="project"/> ("src/LoadTests"), in file order.</summary>
    public static IReadOnlyList<DocumentedCommand> Of(string project) => All().Where(c => c.Project == project).ToArray();

    /// <summary>The documented commands of <paramref name="project"/> as theory rows: where (file:line), then the arguments.</summary>
    public static TheoryData<string, string[]> TheoryDataOf(string project)
    {
        var data = new TheoryData<string, string[]>();
        foreach (var c in Of(project))
        {
            data.Add(c.Where, [.. c.Args]);
        }

        return data;
    }

    public static IReadOnlyList<DocumentedCommand> All()
    {
        var root = FolderCycleFinder.RepositoryRoot();
        var found = new List<DocumentedCommand>();
        foreach (var file in Files(root))
        {
            found.AddRange(InText(file, File.ReadAllLines(Path.Combine(root, file))));
        }

        return found;
    }

    /// <summary>
    /// Every repository path the docs name (<c>src/…</c>, <c>tests/…</c>, <c>plans/…</c>, <c>scripts/…</c>, …) that is
    /// neither a pattern (<c>&lt;</c>, <c>*</c>, <c>{</c>), a build output (<c>bin/</c>, <c>obj/</c>) nor an output the
    /// same line says a command writes, with where
    /// it is named; a test class may be named without its <c>.cs</c>.
    /// </summary>
    public static IReadOnlyList<(string Where, string Path)> Paths()
    {
        var root = FolderCycleFinder.RepositoryRoot();
        var found = new List<(string, string)>();
        foreach (var file in Files(root))
        {
            var lines = File.ReadAllLines(Path.Combine(root, file));
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match m in RepositoryPath().Matches(lines[i]))
                {
                    var path = m.Value;
                    var before = lines[i][..m.Index];
                    if (path.IndexOfAny(['<', '*', '{']) >= 0 || before.EndsWith("writes ", StringComparison.Ordinal)
                        || path.Contains("/bin/", StringComparison.Ordinal) || path.Contains("/obj/", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    found.Add(($"{file}:{i + 1}", path));
                }
            }
        }

        return found;
    }

    private static IEnumerable<string> Files(string root) =>
        new[] { "README.md", "CONTRIBUTING.md" }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal));

    /// <summary>The commands in one Markdown file's lines (public for the extractor's own tests).</summary>
    public static IReadOnlyList<DocumentedCommand> InText(string file, IReadOnlyList<string> lines)
    {
        var found = new List<DocumentedCommand>();
        var fenced = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }

            var lineNumber = i + 1;
            foreach (Match m in Command().Matches(line))
            {
                if ((fenced && InComment(line, m.Index)) || (m.Groups["tool"].Success && !fenced))
                {
                    continue; // "# same flags as dotnet run --project src/LoadTests --" is prose
                }

                var rest = m.Groups["tool"].Success ? " -- " + line[(m.Index + m.Length)..] : line[(m.Index + m.Length)..];
                if (fenced)
                {
                    // A continued command: "run --plan x \" and the next lines.
                    while (rest.TrimEnd().EndsWith('\\') && i + 1 < lines.Count)
                    {
                        rest = rest.TrimEnd()[..^1] + " " + lines[++i].Trim();
                    }
                }
                else
                {
                    // Inline code: the command ends at the closing backtick.
                    var tick = rest.IndexOf('`', StringComparison.Ordinal);
                    rest = tick >= 0 ? rest[..tick] : rest;
                }

                var transcript = line.TrimStart().StartsWith("$ ", StringComparison.Ordinal)
                    && lines.Skip(i + 1).FirstOrDefault(l => l.Trim().Length > 0)?.TrimStart().StartsWith("error:", StringComparison.Ordinal) == true;
                if (transcript || !ArgumentsFollow(rest, out var argsText) || IsSynopsis(argsText))
                {
                    continue;
                }

                found.Add(new DocumentedCommand($"{file}:{lineNumber}", m.Groups["tool"].Success ? "src/LoadTests" : m.Groups["project"].Value, Split(argsText)));
            }
        }

        return found;
    }

    // True when an unquoted " #" comes before position: the shell reads the rest of the line as a comment.
    private static bool InComment(string line, int position) => ShellEnd(line, operators: false) < position;

    /// <summary>
    /// The text after <c> -- </c>, cut where the shell's command ends: an unquoted comment, pipe, redirection,
    /// <c>&amp;</c> or <c>;</c>. No <c>--</c> (<c>dotnet run --project src/Simulator</c> alone) is a command without arguments.
    /// </summary>
    private static bool ArgumentsFollow(string rest, out string args)
    {
        args = string.Empty;
        var trimmed = rest.TrimStart();
        if (trimmed.StartsWith("-- ", StringComparison.Ordinal) || trimmed == "--")
        {
            trimmed = trimmed[2..];
            args = trimmed[..ShellEnd(trimmed, operators: true)].Trim();
            return true;
        }

        // "dotnet run --project src/X" alone, or followed by a comment or an operator, is a command without arguments;
        // followed by anything else it is prose.
        return trimmed.Length == 0 || trimmed[0] is '#' or '&' or '>' or '|' or ';' or ')';
    }

    /// <summary>
    /// Where the shell stops reading a command in <paramref name="text"/>: at an unquoted comment (a <c>#</c> starting a
    /// word) and, with <paramref name="operators"/>, at an unquoted <c>|</c>, <c>&gt;</c>, <c>&amp;</c> or <c>;</c>;
    /// the text's length when neither comes.
    /// </summary>
    private static int ShellEnd(string text, bool operators)
    {
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if ((c == '#' && (i == 0 || char.IsWhiteSpace(text[i - 1]))) || (operators && c is '|' or '>' or '&' or ';'))
            {
                return i;
            }
        }

        return text.Length;
    }

    // A synopsis or a placeholder, not a command: "[--seed 42]", "csv|json", "--count N", "--wallet-url ...".
    private static bool IsSynopsis(string args) =>
        args.Contains('[', StringComparison.Ordinal) || args.Contains("...", StringComparison.Ordinal) || args.Contains('…', StringComparison.Ordinal)
        || args.Contains('<', StringComparison.Ordinal) || Placeholder().IsMatch(args);

    /// <summary>Splits as a POSIX shell would for the plain words the docs use: whitespace, '…' and "…" quoting.</summary>
    public static IReadOnlyList<string> Split(string args)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var quote = '\0';
        foreach (var c in args)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    // "dotnet run --project src/X [-c Release]", or the load tests' .NET tool ("paysim", README) at the start of a line,
    // read as "src/LoadTests --".
    [GeneratedRegex(@"dotnet run --project (?<project>src/[A-Za-z]+)(?: -c (?:Release|Debug))?(?=\s|$|`)|^\s*(?<tool>paysim)(?= )")]
    private static partial Regex Command();

    [GeneratedRegex(@"(?<![\w./-])(?:src|tests|docs|plans|scripts|deploy|docker|protos|\.ci)/[\w./+<>*{}-]*[\w/>}*]")]
    private static partial Regex RepositoryPath();

    // A lone capital standing for a value: "--count N", "--seed S".
    [GeneratedRegex(@"(?:^|\s)[A-Z](?:\s|$)")]
    private static partial Regex Placeholder();
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace PaySim.LoadTests.Running;

/// <summary>
/// The command that plays a run again, written into its summary.json (<c>command</c>), report.md, report.html and the
/// console's last lines, so a run that failed in CI can be repeated on a laptop with one paste: the run's own arguments
/// as given, without <c>--report-dir</c> and <c>--out</c> (a second run gets a folder of its own instead of overwriting the first's files) and
/// <c>--dry-run</c>, with <c>--seed</c> added when it was not given (the seed the plan ran with), each argument quoted
/// for a POSIX shell where it needs it.
/// </summary>
internal static partial class RunAgain
{
    /// <summary>How this program is started again (<see cref="ProgramFor"/> of where it runs from and the folder it was started in).</summary>
    public static string Program { get; } = ProgramFor(AppContext.BaseDirectory, Environment.CurrentDirectory);

    /// <summary>
    /// The program part of the command, for a program whose files are in <paramref name="baseDirectory"/>, typed in
    /// <paramref name="currentDirectory"/>: <c>paysim</c> from a dotnet tool store (<c>dotnet tool install</c>); inside a
    /// checkout (a folder above holds src/LoadTests/LoadTests.csproj; the tests' host too) the source tree's
    /// <c>dotnet run --project src/LoadTests --</c>, the project's path as seen from the current folder (the full path
    /// when that folder is not above it); else <c>dotnet</c> and the assembly's own path (a published folder, the Docker
    /// image's /app).
    /// </summary>
    internal static string ProgramFor(string baseDirectory, string currentDirectory)
    {
        var full = Path.GetFullPath(baseDirectory);
        if (full.Contains($"{Path.DirectorySeparatorChar}.store{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        {
            return "paysim";
        }

        for (var dir = new DirectoryInfo(full); dir is not null; dir = dir.Parent)
        {
            var project = Path.Combine(dir.FullName, "src", "LoadTests");
            if (File.Exists(Path.Combine(project, "LoadTests.csproj")))
            {
                var relative = Path.GetRelativePath(currentDirectory, project);
                var path = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? project : relative;
                return $"dotnet run --project {Quote(path)} --";
            }
        }

        return "dotnet " + Quote(Path.Combine(full, typeof(RunAgain).Assembly.GetName().Name + ".dll"));
    }

    private static readonly HashSet<string> Dropped = new(StringComparer.Ordinal) { "--report-dir", "--out" };
    private static readonly HashSet<string> DroppedFlags = new(StringComparer.Ordinal) { "--dry-run" };

    /// <summary>
    /// The command for a run given <paramref name="args"/> (the <c>run</c> verb first, as the parser's tokens have them:
    /// <c>--flag=value</c> already split) that played with <paramref name="seed"/>.
    /// </summary>
    public static string Of(IReadOnlyList<string> args, int seed)
    {
        var kept = new List<string>(args.Count + 2);
        for (var i = 0; i < args.Count; i++)
        {
            if (Dropped.Contains(args[i]))
            {
                i++; // and its value
                continue;
            }

            if (!DroppedFlags.Contains(args[i]))
            {
                kept.Add(args[i]);
            }
        }

        if (!kept.Contains("--seed"))
        {
            kept.Add("--seed");
            kept.Add(seed.ToString(CultureInfo.InvariantCulture));
        }

        return Program + " " + string.Join(' ', kept.Select(Quote));
    }

    /// <summary>One argument as a POSIX shell reads it back: as is when it is plain, else in single quotes.</summary>
    public static string Quote(string arg) =>
        arg.Length > 0 && Plain().IsMatch(arg) ? arg : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[A-Za-z0-9_./:=@%+,-]+$")]
    private static partial Regex Plain();
}

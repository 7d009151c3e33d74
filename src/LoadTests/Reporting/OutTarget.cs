using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Reporting;

/// <summary>
/// <c>run --out json=PATH</c>: where the per-request results go (<see cref="JsonLinesOutput"/>), as k6's
/// <c>--out json=FILE</c> takes it; a PATH ending in <c>.gz</c> is gzip-compressed, as k6 does. Checked before anything
/// starts: a bad value, or a file that cannot be written there, is one line naming <c>--out</c> (exit 2) and nothing is
/// created; the file itself is created when the load starts.
/// </summary>
internal sealed record OutTarget(string Path, bool Gzip)
{
    public const string Flag = "--out";

    /// <summary>What <c>--out</c> takes, said in every refusal.</summary>
    public const string Allowed = "allowed: json=PATH (k6's JSON lines, one object a line; a PATH ending in .gz is gzip-compressed)";

    private const string JsonPrefix = "json=";

    /// <summary>The flag's value, or one line naming <c>--out</c> and what it allows.</summary>
    public static OutTarget Parse(string text)
    {
        if (!text.StartsWith(JsonPrefix, StringComparison.Ordinal))
        {
            var what = text.Length == 0 ? "an empty value"
                : text.Trim() == "json" ? "\"json\" names no file"
                : text.Contains('=', StringComparison.Ordinal) ? $"\"{Shown(text)}\": \"{Shown(text.Split('=', 2)[0])}\" is no output this run writes"
                : $"\"{Shown(text)}\" is no output this run writes";
            throw new PlanException($"{Flag}: {what}; {Allowed}.");
        }

        var path = text[JsonPrefix.Length..];
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new PlanException($"{Flag}: \"{Shown(text)}\" names no file; {Allowed}.");
        }

        return new OutTarget(path, path.EndsWith(".gz", StringComparison.Ordinal));
    }

    /// <summary>
    /// Proves the file can be written without leaving anything behind: its folder exists and takes a new file, and a
    /// file already there (which the run replaces, as k6 does) can be opened for writing. One line naming <c>--out</c> if not.
    /// </summary>
    public void EnsureWritable()
    {
        string full;
        try
        {
            full = System.IO.Path.GetFullPath(Path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new PlanException($"{Flag}: \"{Shown(Path)}\" is not a usable path (it holds a character no file name may hold, such as NUL); {Allowed}.");
        }

        if (Directory.Exists(full) || Path.EndsWith('/') || Path.EndsWith(System.IO.Path.DirectorySeparatorChar))
        {
            throw new PlanException($"{Flag}: \"{Shown(Path)}\" is a folder; give a file in it, e.g. json={System.IO.Path.Combine(Path, "results.json")}.");
        }

        var folder = System.IO.Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new PlanException($"{Flag}: cannot write \"{Shown(Path)}\": the folder \"{folder}\" does not exist (--out creates the file, not its folder); {Allowed}.");
        }

        try
        {
            if (File.Exists(full))
            {
                using (new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
                {
                }

                return;
            }

            // Creating and deleting a scratch file proves the folder takes new files (what the run does at the start of the load).
            var probe = System.IO.Path.Combine(folder, $".paysim-out-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PlanException($"{Flag}: \"{Shown(Path)}\" is not writable ({ex.Message.ReplaceLineEndings(" ")}).");
        }
    }

    /// <summary>What the run writes, for the dry run and the run's closing line.</summary>
    public override string ToString() => $"json={Path}";

    private static string Shown(string text) => text.Length <= 80 ? text : text[..80] + "…";
}

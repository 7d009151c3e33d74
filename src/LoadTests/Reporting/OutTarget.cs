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

        if (path == "-")
        {
            // k6 writes json=- to stdout; here stdout carries the run's progress and closing lines.
            throw new PlanException($"{Flag}: json=- (stdout) is not supported; give a file path.");
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

        var info = new FileInfo(full);
        if (info.Exists || info.LinkTarget is not null)
        {
            // /dev/full, /proc/version, /dev/stdout, a FIFO: writes there fail or go elsewhere, and are never a file to read back.
            var resolved = info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo;
            if (resolved is null || !resolved.Exists || !IsRegularFile(resolved.FullName))
            {
                throw new PlanException($"{Flag}: json={Shown(Path)} is not a regular file; give a file path.");
            }
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

    /// <summary>
    /// Refuses a PATH that is a file this run reads or writes itself: the plan file it runs (<paramref name="planFile"/>),
    /// or one of the report's files in <paramref name="reportFolder"/> (which the report would overwrite after the points
    /// were written). Full paths compared, case-sensitively on Linux. One line naming <c>--out</c> if so.
    /// </summary>
    public void EnsureNotOwnFile(string? planFile, string? reportFolder)
    {
        string full;
        try
        {
            full = System.IO.Path.GetFullPath(Path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return; // EnsureWritable says why.
        }

        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (planFile is not null && string.Equals(full, System.IO.Path.GetFullPath(planFile), comparison))
        {
            throw new PlanException($"{Flag}: json={Shown(Path)} is the plan file this run reads; give another path.");
        }

        if (reportFolder is not null)
        {
            var folder = System.IO.Path.GetFullPath(reportFolder);
            foreach (var name in ReportFiles)
            {
                if (string.Equals(full, System.IO.Path.Combine(folder, name), comparison))
                {
                    throw new PlanException($"{Flag}: json={Shown(Path)} is the report's own {name}; give a path outside the report folder or another name.");
                }
            }
        }
    }

    /// <summary>The files the report writes into its folder (<see cref="LoadEngine.ReportWriter"/>).</summary>
    public static readonly IReadOnlyList<string> ReportFiles =
    [
        LoadEngine.ReportWriter.SummaryFile, LoadEngine.ReportWriter.MarkdownFile, LoadEngine.ReportWriter.HtmlFile,
        LoadEngine.ReportWriter.JunitFile, LoadEngine.ReportWriter.TimeSeriesFile, LoadEngine.ReportWriter.StepTimeSeriesFile,
    ];

    private static bool IsRegularFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return File.Exists(path);
        }

        // /proc and /sys files stat as regular yet are the kernel's, not a file to fill with results.
        if (path.StartsWith("/proc/", StringComparison.Ordinal) || path.StartsWith("/sys/", StringComparison.Ordinal))
        {
            return false;
        }

        // .NET has no file-type query: its own native shim's stat (follows links) gives the mode with its S_IFMT bits.
        // Its FileStatus begins with Flags then Mode (int32 each); should a later runtime drop the shim, a file that
        // exists is taken as regular rather than the run failing on a check.
        var status = new byte[256];
        try
        {
            if (SystemNativeStat(path, status) != 0)
            {
                return false;
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return File.Exists(path);
        }

        var mode = BitConverter.ToInt32(status, 4);
        return (mode & 0xF000) == 0x8000;
    }

    [System.Runtime.InteropServices.DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = System.Runtime.InteropServices.CharSet.Ansi, SetLastError = true)]
    private static extern int SystemNativeStat(string path, byte[] status);

    /// <summary>What the run writes, for the dry run and the run's closing line.</summary>
    public override string ToString() => $"json={Path}";

    private static string Shown(string text) => text.Length <= 80 ? text : text[..80] + "…";
}

using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Reporting;

/// <summary>
/// A report folder is checked before a run or a merge starts, so an unusable one (a file, a path under
/// /proc, a read-only disk) is one line and exit 2 up front instead of a lost run at the end. The
/// check leaves nothing behind: it probes the folder, or the nearest folder above it that exists.
/// </summary>
internal static class ReportFolder
{
    /// <summary>The longest name of one folder or file (Linux's NAME_MAX, in UTF-8 bytes; most other systems allow as much or less).</summary>
    public const int MaxNameBytes = 255;

    /// <summary>The longest whole path the report is written under, leaving room for its longest file name (PATH_MAX is 4096).</summary>
    public const int MaxPathBytes = 4000;

    /// <summary>
    /// The folder's full path, or one line naming <paramref name="field"/> when the text cannot be a folder at all: empty,
    /// a NUL, a name longer than <see cref="MaxNameBytes"/> or a path longer than <see cref="MaxPathBytes"/> (which would
    /// otherwise fail only when the report is written, after the run).
    /// </summary>
    public static string CheckPath(string folder, string field)
    {
        if (string.IsNullOrWhiteSpace(folder))
        {
            throw new PlanException($"{field}: an empty path; give a folder (it is created if missing).");
        }

        string full;
        try
        {
            full = Path.GetFullPath(folder);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new PlanException($"{field}: \"{folder}\" is not a usable path (it holds a character no file name may hold, such as NUL).");
        }

        if (full.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).FirstOrDefault(n => System.Text.Encoding.UTF8.GetByteCount(n) > MaxNameBytes) is { } name)
        {
            throw new PlanException($"{field}: the folder name \"{name[..Math.Min(name.Length, 40)]}…\" is {System.Text.Encoding.UTF8.GetByteCount(name)} bytes; a name is at most {MaxNameBytes}.");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(full) > MaxPathBytes)
        {
            throw new PlanException($"{field}: the path is {System.Text.Encoding.UTF8.GetByteCount(full)} bytes long; at most {MaxPathBytes}.");
        }

        return full;
    }

    public static void EnsureUsable(string folder, string field)
    {
        var full = CheckPath(folder, field);

        if (File.Exists(full))
        {
            throw new PlanException($"{field}: \"{folder}\" is a file; give a folder (it is created if missing).");
        }

        var existing = full;
        while (!Directory.Exists(existing))
        {
            var parent = Path.GetDirectoryName(existing);
            if (parent is null)
            {
                throw new PlanException($"{field}: \"{folder}\" has no existing folder above it.");
            }

            if (File.Exists(parent))
            {
                throw new PlanException($"{field}: \"{folder}\" cannot be created: \"{parent}\" is a file.");
            }

            existing = parent;
        }

        // Creating and removing a scratch folder proves we may create entries here (what the writer does).
        var probe = Path.Combine(existing, $".paysim-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(probe);
            File.WriteAllBytes(Path.Combine(probe, "p"), [1]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PlanException($"{field}: \"{folder}\" is not writable ({(existing == full ? "" : $"in \"{existing}\": ")}{ex.Message.ReplaceLineEndings(" ")}).");
        }
        finally
        {
            try
            {
                if (Directory.Exists(probe))
                {
                    Directory.Delete(probe, recursive: true);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Nothing more to do: the probe is a hidden, empty folder at worst.
            }
        }
    }
}

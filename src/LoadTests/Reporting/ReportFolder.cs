using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Reporting;

/// <summary>
/// A report folder is checked before a run or a merge starts, so an unusable one (a file, a path under
/// /proc, a read-only disk) is one line and exit 2 up front instead of a lost run at the end. The
/// check leaves nothing behind: it probes the folder, or the nearest folder above it that exists.
/// </summary>
internal static class ReportFolder
{
    public static void EnsureUsable(string folder, string field)
    {
        string full;
        try
        {
            full = Path.GetFullPath(folder);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new PlanException($"{field}: \"{folder}\" is not a usable path: {ex.Message}");
        }

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

namespace PaySim.LoadTests.Plans;

/// <summary>Finds plans by name (plans/NAME.json next to the binary, then under the working directory) or by file path.</summary>
internal static class PlanCatalog
{
    public const string DefaultPlan = "default";

    public static IReadOnlyList<string> Directories()
    {
        var dirs = new List<string> { Path.Combine(AppContext.BaseDirectory, "plans"), Path.Combine(Directory.GetCurrentDirectory(), "plans") };
        return dirs.Where(Directory.Exists).Select(Path.GetFullPath).Distinct().ToArray();
    }

    /// <summary>plans/plan.schema.json (the plans' JSON Schema) sits beside the plans and is not one.</summary>
    public const string SchemaSuffix = ".schema.json";

    /// <summary>Every shipped plan: name → file, the first directory winning.</summary>
    public static IReadOnlyDictionary<string, string> List()
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var dir in Directories())
        {
            foreach (var file in Directory.EnumerateFiles(dir, "*.json"))
            {
                if (file.EndsWith(SchemaSuffix, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                map.TryAdd(Path.GetFileNameWithoutExtension(file), file);
            }
        }

        return map;
    }

    public static (string Json, string Source) Resolve(string nameOrFile, string field = "--plan")
    {
        var looksLikeFile = nameOrFile.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            || nameOrFile.Contains('/', StringComparison.Ordinal) || nameOrFile.Contains('\\', StringComparison.Ordinal);
        if (looksLikeFile)
        {
            if (Directory.Exists(nameOrFile))
            {
                throw new PlanException($"{field}: \"{nameOrFile}\" is a directory, not a file; give a plan name or a plan .json file.");
            }

            if (!File.Exists(nameOrFile))
            {
                throw new PlanException($"{field}: file \"{nameOrFile}\" does not exist.");
            }

            return (ReadBounded(nameOrFile, field), nameOrFile);
        }

        var plans = List();
        if (!plans.TryGetValue(nameOrFile, out var path))
        {
            throw new PlanException($"{field}: no plan named \"{nameOrFile}\"; allowed: {KnownNames.List(plans.Keys)} (or a path to a .json file).");
        }

        return (File.ReadAllText(path), nameOrFile);
    }

    /// <summary>The largest plan file read: far beyond any plan (the shipped ones are a few KB), small enough to read at once.</summary>
    public const int MaxPlanBytes = 64 * 1024 * 1024;

    /// <summary>How long a plan file may take to read before it is taken for a pipe or a device that never ends.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A user's plan file, read with bounds: a FIFO with no writer or a device such as /dev/zero would otherwise hang the
    /// harness or fill its memory. More than <see cref="MaxPlanBytes"/>, or no end within <see cref="ReadTimeout"/>, is one
    /// line naming the flag.
    /// </summary>
    internal static string ReadBounded(string path, string field, TimeSpan? timeout = null)
    {
        var read = Task.Run(() =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > MaxPlanBytes)
                {
                    return null;
                }
            }

            return buffer.ToArray();
        });
        // WaitAny, not Wait: a read that failed is reported below as the file's own error, not as an AggregateException.
        if (Task.WaitAny([read], timeout ?? ReadTimeout) < 0)
        {
            throw new PlanException($"{field}: \"{path}\" did not reach its end within {DurationText.Format(timeout ?? ReadTimeout)} (a pipe or a device?); give a plan .json file.");
        }

        byte[]? bytes;
        try
        {
            bytes = read.GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PlanException($"{field}: \"{path}\" cannot be read ({ex.Message.ReplaceLineEndings(" ").TrimEnd('.')}); give a plan .json file.", ex);
        }

        if (bytes is null)
        {
            throw new PlanException($"{field}: \"{path}\" is more than {MaxPlanBytes / (1024 * 1024)} MiB; a plan is a JSON file of a few KB.");
        }

        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}

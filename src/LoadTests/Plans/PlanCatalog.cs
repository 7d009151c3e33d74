namespace PaySim.LoadTests.Plans;

/// <summary>Finds plans by name (plans/NAME.json next to the binary, the shipped ones, then ./plans/ of the working directory) or by file path.</summary>
internal static class PlanCatalog
{
    public const string DefaultPlan = "default";

    /// <summary>The shipped plans: plans/ beside the binary.</summary>
    public static string ShippedDirectory => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "plans"));

    public static IReadOnlyList<string> Directories()
    {
        var dirs = new List<string> { ShippedDirectory, Path.Combine(Directory.GetCurrentDirectory(), "plans") };
        return dirs.Where(Directory.Exists).Select(Path.GetFullPath).Distinct().ToArray();
    }

    /// <summary>Whether <paramref name="file"/> (from <see cref="List"/>) is a shipped plan, not one of the current folder's plans/.</summary>
    public static bool IsShipped(string file) =>
        string.Equals(Path.GetDirectoryName(Path.GetFullPath(file)), ShippedDirectory.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);

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

    /// <summary>
    /// The current folder's plans/ files whose name a shipped plan takes: <c>--plan NAME</c> runs the shipped one, so
    /// <c>plans</c> lists these apart (run them with <c>--plan PATH</c>). Empty when the current folder's plans/ is the shipped one.
    /// </summary>
    public static IReadOnlyList<(string Name, string File)> Hidden()
    {
        var listed = List();
        var local = Path.GetFullPath(Path.Combine(Directory.GetCurrentDirectory(), "plans"));
        if (!Directory.Exists(local) || string.Equals(local.TrimEnd(Path.DirectorySeparatorChar), ShippedDirectory.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
        {
            return [];
        }

        return Directory.EnumerateFiles(local, "*.json")
            .Where(f => !f.EndsWith(SchemaSuffix, StringComparison.OrdinalIgnoreCase))
            .Select(f => (Name: Path.GetFileNameWithoutExtension(f), File: f))
            .Where(p => listed.TryGetValue(p.Name, out var winner) && !string.Equals(winner, p.File, StringComparison.Ordinal))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToArray();
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

    /// <summary>A user's plan file, read with bounds (<see cref="BoundedFile"/>); each refusal names the flag.</summary>
    internal static string ReadBounded(string path, string field, TimeSpan? timeout = null) =>
        BoundedFile.ReadText(path, $"{field}: \"{path}\"", "give a plan .json file", "a plan is a JSON file of a few KB", timeout);
}

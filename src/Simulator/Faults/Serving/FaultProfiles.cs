using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Faults.Serving;

/// <summary>
/// Named rule files: the shipped ones in <c>Profiles/</c> next to the executable
/// (src/Simulator/Profiles in the repo), or any file path. Used by <c>--profile FILE|NAME</c> and
/// <c>POST /v1/profiles/{name}</c>.
/// </summary>
internal static class FaultProfiles
{
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "Profiles");

    /// <summary>The shipped profile names, sorted.</summary>
    public static IReadOnlyList<string> Names(string? directory = null)
    {
        directory ??= DefaultDirectory;
        return Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToArray()
            : [];
    }

    /// <summary>Reads and validates a profile; throws <see cref="FaultRuleException"/> naming the profile and every bad field.</summary>
    /// <remarks>The control plane passes <paramref name="allowPaths"/> = false: a remote caller may not make the simulator read files.</remarks>
    public static FaultRuleSet Load(string nameOrPath, FaultRuleContext context, string? directory = null, bool allowPaths = true)
    {
        var (name, json) = Read(nameOrPath, directory, allowPaths);
        try
        {
            return FaultRuleParser.Parse(json, context);
        }
        catch (FaultRuleException ex)
        {
            throw new FaultRuleException(ex.Errors.Select(e => e with { Field = $"profile {name}: {e.Field}" }).ToArray());
        }
    }

    /// <summary>The JSON text of a profile by name (shipped) or path (any file).</summary>
    public static (string Name, string Json) Read(string nameOrPath, string? directory = null, bool allowPaths = true)
    {
        directory ??= DefaultDirectory;
        if (string.IsNullOrWhiteSpace(nameOrPath))
        {
            throw new FaultRuleException("profile", $"a name or a file is required; shipped: {string.Join(", ", Names(directory))}");
        }

        if (IsPath(nameOrPath))
        {
            if (!allowPaths)
            {
                throw new FaultRuleException("profile", $"\"{nameOrPath}\" is a path; only shipped profile names are accepted here: {string.Join(", ", Names(directory))}");
            }

            if (Directory.Exists(nameOrPath))
            {
                throw new FaultRuleException("profile", $"\"{nameOrPath}\" is a directory, not a file; give a shipped profile name or a profile .json file");
            }

            if (!File.Exists(nameOrPath))
            {
                throw new FaultRuleException("profile", $"file \"{nameOrPath}\" does not exist; shipped profiles: {string.Join(", ", Names(directory))}");
            }

            try
            {
                return (Path.GetFileNameWithoutExtension(nameOrPath), File.ReadAllText(nameOrPath));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new FaultRuleException("profile", $"cannot read the file \"{nameOrPath}\" ({e.Message.ReplaceLineEndings(" ").TrimEnd('.')})");
            }
        }

        var names = Names(directory);
        if (!names.Contains(nameOrPath, StringComparer.Ordinal))
        {
            throw new FaultRuleException("profile", $"unknown profile \"{nameOrPath}\"; allowed: {string.Join(", ", names)}{(allowPaths ? ", or a path to a .json file" : string.Empty)}");
        }

        return (nameOrPath, File.ReadAllText(Path.Combine(directory, nameOrPath + ".json")));
    }

    private static bool IsPath(string value) =>
        value.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
        || value.Contains('/') || value.Contains('\\');
}

namespace PaySim.LoadTests.Tests.Deploy;

/// <summary>
/// Every file or folder README.md, CONTRIBUTING.md and docs/ name (<c>plans/node-loss.json</c>, <c>scripts/perf.sh</c>,
/// a test class as <c>tests/…/RedisSimulatorHostTests</c>) is in the repository: a file moved or renamed fails here.
/// </summary>
public sealed class DocumentedPathTests
{
    [Fact]
    public void EveryPathTheDocsName_Exists()
    {
        var root = FolderCycleFinder.RepositoryRoot();
        var paths = DocumentedCommands.Paths();

        Assert.InRange(paths.Count, 200, 100_000); // an extractor gone blind must not pass with nothing to check
        var missing = paths
            .Where(p => !File.Exists(Path.Combine(root, p.Path)) && !Directory.Exists(Path.Combine(root, p.Path)) && !File.Exists(Path.Combine(root, p.Path + ".cs")))
            .Select(p => $"{p.Where}: {p.Path}")
            .ToArray();
        Assert.True(missing.Length == 0, "named in the docs but not in the repository:\n" + string.Join('\n', missing));
    }
}

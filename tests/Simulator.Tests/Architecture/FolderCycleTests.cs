namespace PaySim.Simulator.Tests.Architecture;

/// <summary>
/// Sibling folders of src/Simulator must not need each other both ways (docs: CONTRIBUTING.md):
/// Hosting is the composition root that nothing needs, the call pipeline (Calls) and the node switch
/// (Nodes) are leaves everyone may use, and the fault engine's parts form a line
/// (Kinds ← Rules ← Engine ← Serving).
/// </summary>
public sealed class FolderCycleTests
{
    private static readonly FolderCycleFinder Simulator = FolderCycleFinder.ForProject("src/Simulator", "PaySim.Simulator");

    [Fact]
    public void SimulatorFolders_HaveNoCycleBetweenSiblings()
    {
        var cycles = Simulator.Cycles();

        Assert.True(cycles.Count == 0, $"{cycles.Count} cycle(s) between sibling folders of src/Simulator:\n{string.Join('\n', cycles)}");
    }

    [Fact]
    public void Hosting_IsNeededByNothingButTheCommandLine()
    {
        var users = Simulator.Dependencies().Keys.Where(d => d.To == "Hosting").Select(d => d.From).Distinct().Order().ToArray();

        Assert.Equal(["Cli"], users);
    }

    [Fact]
    public void Finder_ReportsATwoFolderCycleWithTheFilesThatCauseIt()
    {
        using var project = new ScratchProject();
        project.Write("A/One.cs", "using Demo.B;\nnamespace Demo.A;\ninternal sealed class One { Two? _two; }");
        project.Write("B/Two.cs", "namespace Demo.B;\ninternal sealed class Two { Demo.A.One? _one; }");
        project.Write("C/Three.cs", "namespace Demo.C;\n// using Demo.A; in a comment is no dependency\ninternal sealed class Three { string s = \"Demo.A.One\"; }");

        var cycles = new FolderCycleFinder(project.Root, "Demo").Cycles();

        var cycle = Assert.Single(cycles);
        Assert.Equal("A → B (A/One.cs uses using Demo.B) → A (B/Two.cs uses Demo.A.One)", cycle);
    }

    [Fact]
    public void Finder_LiftsDeepDependenciesToTheSiblingsThatHoldThem_AndIgnoresParentAndChild()
    {
        using var project = new ScratchProject();
        project.Write("Faults/Engine/E.cs", "using Demo.Faults.Kinds.Error;\nnamespace Demo.Faults.Engine;\ninternal sealed class E { N? n; }");
        project.Write("Faults/Kinds/Error/N.cs", "namespace Demo.Faults.Kinds.Error;\ninternal sealed class N { Engine.E? e; }");
        project.Write("Faults/Kinds/Catalog.cs", "namespace Demo.Faults.Kinds;\ninternal sealed class Catalog { Error.N? n; }");

        var cycles = new FolderCycleFinder(project.Root, "Demo").Cycles();

        // Kinds/Error → Engine (relative name "Engine.E" resolved from Demo.Faults) and Engine → Kinds/Error
        // make Engine ↔ Kinds; Kinds (the catalog) using its own subfolder is no sibling dependency.
        Assert.Equal(["Faults/Engine → Faults/Kinds (Faults/Engine/E.cs uses using Demo.Faults.Kinds.Error) → Faults/Engine (Faults/Kinds/Error/N.cs uses Engine.E)"], cycles);
    }

    private sealed class ScratchProject : IDisposable
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("paysim-arch-").FullName;

        public void Write(string path, string code)
        {
            var full = Path.Combine(Root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, code);
        }

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}

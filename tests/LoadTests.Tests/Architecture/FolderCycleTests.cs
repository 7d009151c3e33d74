namespace PaySim.LoadTests.Tests.Architecture;

/// <summary>
/// Sibling folders of src/LoadTests must not need each other both ways (docs: CONTRIBUTING.md). Cli is the
/// command line only Program.cs needs; Claims (what a run measures and how shards merge it) sits below Plans,
/// which checks claims against it; Sharding (split a plan, merge shard reports) sits below Running.
/// <see cref="FolderCycleFinder"/> is a copy of tests/Simulator.Tests/Architecture/FolderCycleFinder.cs.
/// </summary>
public sealed class FolderCycleTests
{
    private static readonly FolderCycleFinder LoadTests = FolderCycleFinder.ForProject("src/LoadTests", "PaySim.LoadTests");

    [Fact]
    public void LoadTestsFolders_HaveNoCycleBetweenSiblings()
    {
        var cycles = LoadTests.Cycles();

        Assert.True(cycles.Count == 0, $"{cycles.Count} cycle(s) between sibling folders of src/LoadTests:\n{string.Join('\n', cycles)}");
    }

    [Fact]
    public void Cli_IsNeededByNothingButProgram()
    {
        var users = LoadTests.Dependencies().Keys.Where(d => d.To == "Cli").Select(d => d.From).Distinct().Order().ToArray();

        // "" is the project root: Program.cs.
        Assert.Equal([""], users);
    }

    [Theory]
    [InlineData("Claims", "Plans")]
    [InlineData("Claims", "Running")]
    [InlineData("Claims", "Sharding")]
    [InlineData("Sharding", "Running")]
    public void LowerFolder_DoesNotNeedTheUpperOne(string lower, string upper)
    {
        var proof = LoadTests.Dependencies().TryGetValue((lower, upper), out var file) ? file : null;

        Assert.True(proof is null, $"{lower} → {upper}: {proof}");
    }
}

namespace PaySim.Wallet.Tests.Architecture;

/// <summary>
/// Sibling folders of src/Wallet must not need each other both ways (docs: CONTRIBUTING.md): Hosting is the
/// composition root that nothing needs but Program.cs; Configuration (options, defaults, policy names) is read by
/// everyone and needs only the defect names; Integration (the issuer port) knows none of its users or its
/// resilient implementation (Resilience), which Hosting picks by mode.
/// </summary>
public sealed class FolderCycleTests
{
    private static readonly FolderCycleFinder Wallet = FolderCycleFinder.ForProject("src/Wallet", "PaySim.Wallet");

    [Fact]
    public void WalletFolders_HaveNoCycleBetweenSiblings()
    {
        var cycles = Wallet.Cycles();

        Assert.True(cycles.Count == 0, $"{cycles.Count} cycle(s) between sibling folders of src/Wallet:\n{string.Join('\n', cycles)}");
    }

    [Fact]
    public void Hosting_IsNeededByNothingButProgram()
    {
        var users = Wallet.Dependencies().Keys.Where(d => d.To == "Hosting").Select(d => d.From).Distinct().Order().ToArray();

        // "" is the project root: Program.cs.
        Assert.Equal([""], users);
    }

    [Fact]
    public void Configuration_NeedsOnlyTheDefectNames()
    {
        var needs = Wallet.Dependencies().Keys.Where(d => d.From == "Configuration").Select(d => d.To).Distinct().Order().ToArray();

        Assert.Equal(["Defects"], needs);
    }

    [Theory]
    [InlineData("Integration", "Resilience")]
    [InlineData("Integration", "Cards")]
    [InlineData("Integration", "Payments")]
    [InlineData("Balancing", "Resilience")]
    [InlineData("Storage", "Payments")]
    public void LowerFolder_DoesNotNeedTheUpperOne(string lower, string upper)
    {
        var proof = Wallet.Dependencies().TryGetValue((lower, upper), out var file) ? file : null;

        Assert.True(proof is null, $"{lower} → {upper}: {proof}");
    }
}

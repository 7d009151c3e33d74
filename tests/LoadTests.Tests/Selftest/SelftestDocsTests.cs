using PaySim.LoadTests.Tests.Deploy;
using PaySim.Wallet.Defects;

namespace PaySim.LoadTests.Tests.Selftest;

public sealed class SelftestDocsTests
{
    [Fact]
    public void PlansDoc_GivesTheDefectsDefault_AsTheNumberOfPlantedDefects()
    {
        var row = File.ReadAllLines(RepoPaths.Of("docs", "plans.md")).Single(l => l.StartsWith("| `--defects` |", StringComparison.Ordinal));

        Assert.Contains($"all {WalletDefects.Names.Count} ", row, StringComparison.Ordinal);
    }
}

using System.Text.RegularExpressions;
using PaySim.Wallet.Defects;
using PaySim.Wallet.Hosting;

namespace PaySim.Wallet.Tests.Defects;

/// <summary>
/// docs/wallet.md lists the planted defects twice, in the "Planted defects" table and in the transcript of an
/// unknown <c>--defect</c>; both must be the catalog (<see cref="WalletDefects.All"/>), in its order, so a defect added
/// to the program is never missing from the docs.
/// </summary>
public sealed partial class DefectDocsTests
{
    private static string Doc => File.ReadAllText(Path.Combine(FolderCycleFinder.RepositoryRoot(), "docs", "wallet.md"));

    [Fact]
    public void TheDocumentedUnknownDefectLine_IsWhatTheProgramSays()
    {
        var documented = Assert.Single(Doc.Split('\n'), l => l.StartsWith("error: invalid wallet options: defects (--defect): unknown defect 'typo'", StringComparison.Ordinal)).TrimEnd('\r');

        var ex = Assert.ThrowsAny<ArgumentException>(() => WalletCommandLine.ReadOptions(["--defect", "typo"]));

        Assert.Equal(documented, "error: " + ex.Message);
        Assert.EndsWith("known: " + string.Join(", ", WalletDefects.Names), documented, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePlantedDefectsTable_HasARowForEachDefect_InTheCatalogsOrder()
    {
        var section = Doc[Doc.IndexOf("## Planted defects", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];

        var rows = TableRow().Matches(section).Select(m => m.Groups[1].Value).ToArray();

        Assert.Equal(WalletDefects.Names, rows);
    }

    [GeneratedRegex(@"^\| `([a-z-]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}

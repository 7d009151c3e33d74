using System.Text.Json.Nodes;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Tests.Cli;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// <c>selftest</c> for real, the subset CI affords: smoke on the clean wallet, with misread-approval (smoke promises to
/// catch it) and sticky-node (no claim of smoke can see which issuer node served a call). A defect out of every selected
/// plan's reach must make selftest exit 1 and name it.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SelftestRunTests
{
    [Fact]
    public async Task Selftest_WithADefectNoSelectedPlanCanSee_ExitsOneNamingItAndCatchesTheOther()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"paysim-selftest-run-{Guid.NewGuid():N}");
        try
        {
            var (code, output, err) = await CliRunner.RunAsync("selftest", "--plans", "smoke", "--defects", "misread-approval,sticky-node", "--duration", "6s", "--report-dir", dir);

            Assert.True(code == ExitCodes.ClaimFailed, $"exit {code}\n{output}\n{err}");
            Assert.Contains("[1/3] clean × smoke", output, StringComparison.Ordinal);
            Assert.Contains("not caught: sticky-node passed every plan it ran (smoke)", output, StringComparison.Ordinal);
            Assert.DoesNotContain("false alarm:", output, StringComparison.Ordinal);
            var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "selftest.json")))!;
            Assert.Equal(["sticky-node"], json["uncaught"]!.AsArray().Select(n => n!.GetValue<string>()));
            Assert.Equal(["smoke"], json["caughtBy"]!["misread-approval"]!.AsArray().Select(n => n!.GetValue<string>()));
            var misread = json["cells"]!.AsArray().Single(c => c!["wallet"]!.GetValue<string>() == "misread-approval")!;
            Assert.NotEmpty(misread["failedClaims"]!.AsArray());

            // smoke promises misread-approval by excess_charges and orphan_holds: the real run keeps it by one of them.
            Assert.Empty(json["brokenPromises"]!.AsArray());
            Assert.Contains(misread["failedMetrics"]!.AsArray().Select(n => n!.GetValue<string>()), m => m is "excess_charges" or "orphan_holds");

            // Each run left its own report and console log beside the matrix.
            Assert.True(File.Exists(Path.Combine(dir, "clean", "smoke", "summary.json")));
            Assert.True(File.Exists(Path.Combine(dir, "sticky-node", "smoke.log")));
            var cell = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "sticky-node", "smoke", "summary.json")))!;
            Assert.Equal(["sticky-node"], cell["target"]!["defects"]!.AsArray().Select(n => n!.GetValue<string>()));

            // The uncaught defect's run, on its own: the same plan, length, wallet, defect and seed.
            var alone = $"{PaySim.LoadTests.Running.RunAgain.Program} run --plan smoke --duration 6s --wallet-mode resilient --defect sticky-node --seed {cell["seed"]!.GetValue<int>()}";
            Assert.Equal(alone, cell["command"]!.GetValue<string>());
            Assert.Contains($"not caught: sticky-node passed every plan it ran (smoke); run one alone: {alone}", output, StringComparison.Ordinal);
            Assert.Equal(alone, json["cells"]!.AsArray().Single(c => c!["wallet"]!.GetValue<string>() == "sticky-node")!["command"]!.GetValue<string>());
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}

using PaySim.LoadTests.Selftest;

namespace PaySim.LoadTests.Tests.Selftest;

/// <summary>The verdict over the cells: false alarms, defects nothing caught, promises broken.</summary>
public sealed class SelftestMatrixTests
{
    private static readonly string[] Plans = ["node-loss", "lb-fairness"];
    private static readonly Dictionary<string, IReadOnlyList<string>> Promises = new() { ["node-loss"] = ["no-failover"], ["lb-fairness"] = ["sticky-node"] };

    [Fact]
    public void EveryDefectRedSomewhereAndTheCleanWalletGreenEverywhere_Passes()
    {
        var matrix = new SelftestMatrix(Plans, ["no-failover", "sticky-node"], Promises,
        [
            Pass(null, "node-loss"), Pass(null, "lb-fairness"),
            Fail("no-failover", "node-loss", "success_rate >= 95% (observed 61%)"), Pass("no-failover", "lb-fairness"),
            Pass("sticky-node", "node-loss"), Fail("sticky-node", "lb-fairness", "issuer_jain_fairness >= 0.95 (observed 0.41)"),
        ]);

        Assert.True(matrix.Passed);
        Assert.Empty(matrix.Problems());
        Assert.Equal(["node-loss"], matrix.CaughtBy["no-failover"]);
        Assert.Equal(["lb-fairness"], matrix.CaughtBy["sticky-node"]);
    }

    [Fact]
    public void ADefectThatPassesEveryPlan_FailsTheSelftestNamingIt()
    {
        var matrix = new SelftestMatrix(Plans, ["no-failover", "sticky-node"], Promises,
        [
            Pass(null, "node-loss"), Pass(null, "lb-fairness"),
            Fail("no-failover", "node-loss", "success_rate >= 95% (observed 61%)"), Pass("no-failover", "lb-fairness"),
            Pass("sticky-node", "node-loss"), Pass("sticky-node", "lb-fairness"),
        ]);

        Assert.False(matrix.Passed);
        Assert.Equal(["sticky-node"], matrix.Uncaught);
        Assert.Equal(["lb-fairness promises to catch sticky-node, but that wallet passed it"], matrix.BrokenPromises);
        Assert.Contains("not caught: sticky-node passed every plan it ran (node-loss, lb-fairness)", matrix.Problems());
    }

    [Fact]
    public void APlanTheCleanWalletFails_IsAFalseAlarmAndCatchesNothing()
    {
        // node-loss goes red for the clean wallet too: its red cell for no-failover proves nothing.
        var matrix = new SelftestMatrix(Plans, ["no-failover"], Promises,
        [
            Fail(null, "node-loss", "recovery_ms <= 3s (observed 4.2s)"), Pass(null, "lb-fairness"),
            Fail("no-failover", "node-loss", "success_rate >= 95% (observed 61%)"), Pass("no-failover", "lb-fairness"),
        ]);

        Assert.False(matrix.Passed);
        Assert.Equal(["node-loss"], matrix.FalseAlarms);
        Assert.Equal(["no-failover"], matrix.Uncaught);
        Assert.Equal(["node-loss promises to catch no-failover, but the clean wallet failed it too"], matrix.BrokenPromises);
        Assert.StartsWith("false alarm: the clean wallet failed node-loss (recovery_ms <= 3s", matrix.Problems().First(), StringComparison.Ordinal);
    }

    [Fact]
    public void ADefectCaughtOnlyByAnotherPlan_StillBreaksThePromiseOfThePlanThatPassedIt()
    {
        var matrix = new SelftestMatrix(Plans, ["sticky-node"], Promises,
        [
            Pass(null, "node-loss"), Pass(null, "lb-fairness"),
            Fail("sticky-node", "node-loss", "issuer_max_node_share <= 50% (observed 100%)"), Pass("sticky-node", "lb-fairness"),
        ]);

        Assert.Empty(matrix.Uncaught);
        Assert.False(matrix.Passed);
        Assert.Single(matrix.BrokenPromises);
    }

    [Fact]
    public void ARunThatCouldNotFinish_GaveNoVerdict_SoItCatchesNothing()
    {
        // Red, but not for a claim: a crash, a setup failure or a timeout proves no verdict (the audit's false catch).
        var matrix = new SelftestMatrix(["smoke", "default"], ["misread-approval"], new Dictionary<string, IReadOnlyList<string>>
        {
            ["smoke"] = ["misread-approval"],
        },
        [
            Pass(null, "smoke"),
            Pass(null, "default"),
            new SelftestCell("misread-approval", "smoke", false, [], "could not bind any card", 3, null),
            Fail("misread-approval", "default", "excess_charges == 0 (observed 3)"),
        ]);

        Assert.Equal("error", matrix.Find("misread-approval", "smoke")!.Short);
        Assert.Equal(["default"], matrix.CaughtBy["misread-approval"]);
        Assert.Equal(["smoke promises to catch misread-approval, but that run gave no verdict (could not bind any card)"], matrix.BrokenPromises);
        Assert.False(matrix.Passed);
    }

    [Fact]
    public void TheShortCell_NamesTheFiguresOfTheFailedClaimsOnce()
    {
        var cell = Fail("retry-storm", "rate-limit", "retry_amplification <= 1.5 (observed 4.1)", "lost_payments == 0 (observed 2)", "retry_amplification <= 2 (observed 4.1)");

        Assert.Equal("fail: retry_amplification, lost_payments", cell.Short);
    }

    private static SelftestCell Pass(string? defect, string plan) => new(defect, plan, true, [], null, 10, null);

    private static SelftestCell Fail(string? defect, string plan, params string[] claims) => new(defect, plan, false, claims, null, 10, null);
}

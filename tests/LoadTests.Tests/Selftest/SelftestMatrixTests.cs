using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Selftest;

namespace PaySim.LoadTests.Tests.Selftest;

/// <summary>The verdict over the cells: false alarms, defects nothing caught, promises broken.</summary>
public sealed class SelftestMatrixTests
{
    private static readonly string[] Plans = ["node-loss", "lb-fairness"];
    private static readonly Dictionary<string, IReadOnlyList<PlanCatch>> Promises = new() { ["node-loss"] = [new("no-failover")], ["lb-fairness"] = [new("sticky-node")] };

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
        var matrix = new SelftestMatrix(["smoke", "default"], ["misread-approval"], new Dictionary<string, IReadOnlyList<PlanCatch>>
        {
            ["smoke"] = [new("misread-approval")],
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

    [Fact]
    public void APromiseByClaims_IsBrokenByARunThatFailedOnlyOtherClaims_SayingWhatFailedAndWhatWasPromised()
    {
        // no-failover turns node-loss red, but only by success_rate: the recovery claims it was written for stayed green.
        var promises = new Dictionary<string, IReadOnlyList<PlanCatch>> { ["node-loss"] = [new("no-failover", ["recovery_ms", "errors_during_fault"])] };
        var matrix = new SelftestMatrix(["node-loss"], ["no-failover"], promises,
        [
            Pass(null, "node-loss"),
            Fail("no-failover", "node-loss", "success_rate >= 99% (observed 61%)", "excess_charges == 0 (observed 0)"),
        ]);

        Assert.False(matrix.Passed);
        Assert.Equal(["node-loss did not catch no-failover by recovery_ms, errors_during_fault; it failed success_rate, excess_charges"], matrix.BrokenPromises);
        Assert.Equal("no-failover", Assert.Single(matrix.Broken).Defect);
        // Red it is, but not by what it was written for: node-loss did not catch it, and no other plan did.
        Assert.Empty(matrix.CaughtBy["no-failover"]);
        Assert.Equal(["no-failover"], matrix.Uncaught);
        Assert.Contains("not caught: no-failover failed node-loss only by claims other than those promised (broken promise below) and passed any other plan it ran", matrix.Problems());
        Assert.Equal(["recovery_ms", "errors_during_fault"], matrix.MissedBy(matrix.Find("no-failover", "node-loss")!)!.By);
        Assert.Contains("broken promise: node-loss did not catch no-failover by recovery_ms, errors_during_fault; it failed success_rate, excess_charges", matrix.Problems());
    }

    [Fact]
    public void APromiseByClaims_IsKeptByARunThatFailedOneOfThem_WhateverElseFailed()
    {
        var promises = new Dictionary<string, IReadOnlyList<PlanCatch>> { ["node-loss"] = [new("no-failover", ["recovery_ms", "errors_during_fault"])] };
        var matrix = new SelftestMatrix(["node-loss"], ["no-failover"], promises,
        [
            Pass(null, "node-loss"),
            Fail("no-failover", "node-loss", "success_rate >= 99% (observed 61%)", "errors_during_fault <= 2 (observed 40)"),
        ]);

        Assert.True(matrix.Passed);
        Assert.Empty(matrix.BrokenPromises);
        Assert.Null(matrix.MissedBy(matrix.Find("no-failover", "node-loss")!));
    }

    [Fact]
    public void APromiseByAScopedOrKeyedClaim_MatchesItsWholeLeftHandName()
    {
        var promises = new Dictionary<string, IReadOnlyList<PlanCatch>>
        {
            ["issuer-hang"] = [new("no-deadline", ["step:pay p99"])],
            ["risk"] = [new("retry-declines", ["declined_reattempts"])],
        };
        var matrix = new SelftestMatrix(["issuer-hang", "risk"], ["no-deadline", "retry-declines"], promises,
        [
            Pass(null, "issuer-hang"), Pass(null, "risk"),
            Fail("no-deadline", "issuer-hang", "step:pay p99 < 8s (observed 12s)"),
            Fail("retry-declines", "risk", "risk_declines[velocity] >= 5 (observed 2)"),
        ]);

        Assert.Equal(["risk did not catch retry-declines by declined_reattempts; it failed risk_declines[velocity]"], matrix.BrokenPromises);
    }

    [Fact]
    public void AnUnpromisedCell_RedByAnyClaim_StillCatchesTheDefect()
    {
        // Full matrix: sticky-node also runs node-loss, which promises only no-failover; any red claim there counts as today.
        var promises = new Dictionary<string, IReadOnlyList<PlanCatch>> { ["node-loss"] = [new("no-failover", ["recovery_ms"])] };
        var matrix = new SelftestMatrix(["node-loss"], ["sticky-node"], promises,
        [
            Pass(null, "node-loss"),
            Fail("sticky-node", "node-loss", "success_rate >= 99% (observed 90%)"),
        ]);

        Assert.True(matrix.Passed);
        Assert.Equal(["node-loss"], matrix.CaughtBy["sticky-node"]);
        Assert.Null(matrix.MissedBy(matrix.Find("sticky-node", "node-loss")!));
    }

    [Fact]
    public void TheReports_SayWhatTheMissedPromiseWasCaughtByAndWhatWasPromised()
    {
        var promises = new Dictionary<string, IReadOnlyList<PlanCatch>> { ["node-loss"] = [new("no-failover", ["recovery_ms", "errors_during_fault"])] };
        var matrix = new SelftestMatrix(["node-loss"], ["no-failover"], promises,
        [
            Pass(null, "node-loss"),
            Fail("no-failover", "node-loss", "success_rate >= 99% (observed 61%)"),
        ]);
        const string Expected = "node-loss did not catch no-failover by recovery_ms, errors_during_fault; it failed success_rate";

        var markdown = SelftestReport.Markdown(matrix, "selftest", DateTimeOffset.UnixEpoch, 1);
        Assert.Contains("| **fail: success_rate** * (promised by recovery_ms, errors_during_fault) |", markdown, StringComparison.Ordinal);
        Assert.Contains($"- broken promise: {Expected}", markdown, StringComparison.Ordinal);

        var junit = System.Xml.Linq.XDocument.Parse(SelftestReport.Junit(matrix, DateTimeOffset.UnixEpoch, 1));
        var failure = Assert.Single(junit.Descendants("failure"));
        Assert.Equal($"caught by no plan; {Expected}", (string?)failure.Attribute("message"));

        var request = new SelftestRequest { Plans = [], Defects = ["no-failover"], Duration = TimeSpan.FromSeconds(10), ReportDir = "r" };
        var json = SelftestReport.Json(matrix, request, "selftest", DateTimeOffset.UnixEpoch, 1);
        Assert.Equal(Expected, json["brokenPromises"]![0]!.GetValue<string>());
        Assert.Equal("errors_during_fault", json["promisedBy"]!["node-loss"]!["no-failover"]![1]!.GetValue<string>());
        Assert.Equal("success_rate", json["cells"]![1]!["failedMetrics"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("excess_charges == 0 (observed 3)", "excess_charges")]
    [InlineData("money_conserved == true (observed false)", "money_conserved")]
    [InlineData("step:pay p99 < 8s (observed 12.1s)", "step:pay p99")]
    [InlineData("step:pay_resend ok_rate >= 99% (observed 50%)", "step:pay_resend ok_rate")]
    [InlineData("issuer_node_share[issuer-2] <= 25% (observed 33%)", "issuer_node_share[issuer-2]")]
    [InlineData("step_up_failures[!sms_timeout] == 0 (observed 4)", "step_up_failures[!sms_timeout]")]
    public void AFailedClaimsMetric_IsItsLeftHandName_AsTheCompilerNamesTheClaim(string failed, string metric)
    {
        Assert.Equal(metric, SelftestCell.Figure(failed));
        var written = failed[..failed.LastIndexOf(" (observed ", StringComparison.Ordinal)];
        Assert.Equal(metric, PlanCompiler.Compile($$"""{"rate":2,"scenarios":[{"name":"payment","weight":1}],"claims":["{{written}}"]}""", "p.json").Claims.Single().Name);
    }

    private static SelftestCell Pass(string? defect, string plan) => new(defect, plan, true, [], null, 10, null);

    private static SelftestCell Fail(string? defect, string plan, params string[] claims) => new(defect, plan, false, claims, null, 10, null);
}

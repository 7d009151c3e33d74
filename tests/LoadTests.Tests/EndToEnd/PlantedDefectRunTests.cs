using PaySim.LoadTests.Cli;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// The plans added to catch a planted wallet defect (docs/wallet.md, "Planted defects") at CI's 10 s: the resilient
/// wallet passes, the same plan with the defect exits 1 on the claim that names the mistake, and no money is lost or
/// moved twice by the harness either way.
/// </summary>
[Collection(EndToEndSecondLane.Name)]
public sealed class PlantedDefectRunTests
{
    [Theory]
    [InlineData("not-serving", "no-health-check", "issuer_node_share[issuer-2] <= 25%")]
    [InlineData("rate-limit", "retry-storm", "retry_amplification <= 1.6")]
    [InlineData("issuer-hang", "no-deadline", "success_rate >= 99%")]
    [InlineData("crash-abandon", "crash-unsafe", "orphan_holds == 0")]
    [InlineData("double-charge", "ignore-idempotency-key", "duplicate_charges == 0", "duplicate_wallet_payments == 0")]
    [InlineData("step-up", "no-otp-resend", "step:pay_resend ok_rate >= 99%")]
    [InlineData("risk", "retry-declines", "declined_reattempts == 0")]
    [InlineData("late-capture", "late-capture-fails", "told_failed_charged == 0")]
    public async Task Plan_PassesTheResilientWallet_AndFailsTheWalletWithItsDefect(string plan, string defect, params string[] catchingClaims)
    {
        var clean = await ShortRun.RunAsync(plan);
        try
        {
            Assert.True(clean.ExitCode == ExitCodes.AllClaimsHold, clean.Describe());
            Assert.Empty(clean.Summary["target"]!["defects"]!.AsArray());
            clean.AssertMoneyReconciles();
        }
        finally
        {
            clean.Delete();
        }

        var broken = await ShortRun.RunAsync(plan, "--defect", defect, "--settle", "2s");
        try
        {
            Assert.True(broken.ExitCode == ExitCodes.ClaimFailed, broken.Describe());
            Assert.Equal(defect, Assert.Single(broken.Summary["target"]!["defects"]!.AsArray())!.GetValue<string>());
            Assert.All(catchingClaims, claim => Assert.False(broken.Claim(claim)["pass"]!.GetValue<bool>(), claim + "\n" + broken.Describe()));
            Assert.Contains("planted defects: " + defect, broken.Out, StringComparison.Ordinal);
        }
        finally
        {
            broken.Delete();
        }
    }
}

using PaySim.LoadTests.Cli;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// double-tap (client.doubleTap: 40% of payments sent twice at once with one Idempotency-Key), shortened to 4 s: the
/// naive wallet's check-then-act race charges the card once per tap and answers each its own payment id; the resilient
/// wallet answers the loser 409 payment_in_progress (or the replay) and charges once; with ignore-idempotency-key it
/// pays both, as the plan's "catches" promises.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DoubleTapRunTests
{
    private const string Length = "4s";

    [Fact]
    public async Task Run_DoubleTapWithNaiveWallet_ChargesTwiceAndFailsTheDuplicateClaims()
    {
        var run = await ShortRun.RunForAsync("double-tap", Length, "--wallet-mode", "naive", "--settle", "2s");
        try
        {
            Assert.True(run.ExitCode == ExitCodes.ClaimFailed, run.Describe());
            Assert.True(run.Summary["walletCalls"]!["pay_tap2"]!.GetValue<long>() > 0, run.Describe());
            Assert.True(run.Summary["duplicateCharges"]!.GetValue<long>() > 0, run.Describe());
            Assert.True(run.Summary["reconciliation"]!["duplicateWalletPayments"]!.GetValue<long>() > 0, run.Describe());
            Assert.False(run.Claim("duplicate_charges == 0")["pass"]!.GetValue<bool>(), run.Describe());
            Assert.False(run.Claim("duplicate_wallet_payments == 0")["pass"]!.GetValue<bool>(), run.Describe());
            var evidence = run.Summary["reconciliation"]!["evidence"]!["duplicateWalletPayments"]!.AsArray();
            Assert.Contains("payment ids", evidence[0]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);

            // Both taps were paid: the app was told the truth, and nothing it was promised is missing.
            Assert.True(run.Claim("told_failed_charged == 0")["pass"]!.GetValue<bool>(), run.Describe());
            Assert.True(run.Claim("lost_payments == 0")["pass"]!.GetValue<bool>(), run.Describe());
            Assert.True(run.Claim("success_rate >= 95%")["pass"]!.GetValue<bool>(), run.Describe());
        }
        finally
        {
            run.Delete();
        }
    }

    [Fact]
    public async Task Run_DoubleTapWithResilientWallet_ChargesOnceAndEveryClaimHolds()
    {
        var run = await ShortRun.RunForAsync("double-tap", Length, "--wallet-mode", "resilient");
        try
        {
            Assert.True(run.ExitCode == ExitCodes.AllClaimsHold, run.Describe());
            Assert.True(run.Summary["walletCalls"]!["pay_tap2"]!.GetValue<long>() > 0, run.Describe());
            Assert.Equal(0, run.Summary["duplicateCharges"]!.GetValue<long>());
            Assert.True(run.Claim("duplicate_charges == 0")["pass"]!.GetValue<bool>(), run.Describe());
            Assert.True(run.Claim("duplicate_wallet_payments == 0")["pass"]!.GetValue<bool>(), run.Describe());
            Assert.Contains("pay_tap2", run.Out, StringComparison.Ordinal);
            run.AssertMoneyReconciles();
        }
        finally
        {
            run.Delete();
        }
    }

    [Fact]
    public async Task Run_DoubleTapWithIgnoreIdempotencyKeyDefect_KeepsThePlansPromiseByTheDuplicateClaims()
    {
        // plans/double-tap.json "catches": ignore-idempotency-key by duplicate_charges and duplicate_wallet_payments.
        var run = await ShortRun.RunForAsync("double-tap", Length, "--defect", "ignore-idempotency-key", "--settle", "2s");
        try
        {
            Assert.True(run.ExitCode == ExitCodes.ClaimFailed, run.Describe());
            Assert.False(run.Claim("duplicate_charges == 0")["pass"]!.GetValue<bool>(), run.Describe());
            Assert.False(run.Claim("duplicate_wallet_payments == 0")["pass"]!.GetValue<bool>(), run.Describe());
            Assert.True(run.Claim("lost_payments == 0")["pass"]!.GetValue<bool>(), run.Describe());
        }
        finally
        {
            run.Delete();
        }
    }
}

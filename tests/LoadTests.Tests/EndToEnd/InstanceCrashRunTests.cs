using PaySim.LoadTests.Cli;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// The instance-crash plan shortened, as CI runs it: wallet-2 is a real child process, SIGKILLed at a third of the
/// run and restarted on its port and database at two thirds, while payments are in flight on it.
/// </summary>
[Collection(EndToEndSecondLane.Name)]
public sealed class InstanceCrashRunTests
{
    [Fact]
    public async Task Run_InstanceCrashWithTheResilientWallet_ExitsZeroWithNothingLostHeldOrChargedTwice()
    {
        var run = await ShortRun.RunForAsync("instance-crash", "15s", "--wallet-mode", "resilient");
        try
        {
            Assert.True(run.ExitCode == ExitCodes.AllClaimsHold, run.Describe());
            var timeline = run.Summary["faultTimeline"]!.AsArray().Select(e => e!.AsObject()).Where(e => e["what"]!.GetValue<string>().StartsWith("wallet", StringComparison.Ordinal)).ToArray();
            Assert.Equal(["wallet wallet-2 crash", "wallet wallet-2 crash ended"], timeline.Select(e => e["what"]!.GetValue<string>()));
            Assert.StartsWith("SIGKILL pid ", timeline[0]["command"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.StartsWith("restarted on port ", timeline[1]["command"]!.GetValue<string>(), StringComparison.Ordinal);
            // A timeline action never fires early; on a loaded 2-core CI machine its timer may fire late.
            Assert.InRange(timeline[0]["atS"]!.GetValue<double>(), 4.99, 7.0);
            Assert.InRange(timeline[1]["atS"]!.GetValue<double>(), 9.99, 12.0);
            // wallet-2 served before the crash and again after its restart.
            Assert.All(run.Summary["walletInstances"]!.AsArray(), w => Assert.True(w!["replies"]!.GetValue<long>() > 20, run.Summary["walletInstances"]!.ToJsonString()));
            run.AssertMoneyReconciles();
            Assert.True(run.Summary["reconciliation"]!["views"]!["app"]!["payments"]!.GetValue<long>() > 100);
        }
        finally
        {
            run.Delete();
        }
    }

    [Fact]
    public async Task Run_InstanceCrashWithTheNaiveWallet_ExitsOneNamingTheReconciliationClaimsItFailed()
    {
        // The naive wallet's holds never settle, so a short settle window is enough to judge it.
        var run = await ShortRun.RunForAsync("instance-crash", "15s", "--wallet-mode", "naive", "--settle", "3s");
        try
        {
            Assert.True(run.ExitCode == ExitCodes.ClaimFailed, run.Describe());
            // The killed attempt's money stays taken (held, or captured when its Capture had reached the issuer)
            // and the retry on wallet-1 charges again.
            Assert.False(run.Claim("excess_charges == 0")["pass"]!.GetValue<bool>(), run.Describe());
            Assert.Contains("excess_charges == 0 (observed", run.Out, StringComparison.Ordinal);
            var evidence = run.Summary["reconciliation"]!["evidence"]!["excessCharges"]!.AsArray();
            Assert.NotEmpty(evidence);
            Assert.All(evidence, row => Assert.True(row!["issuer"]!.AsArray().Count >= 2, row.ToJsonString()));
            run.AssertReconciliationPrinted();
        }
        finally
        {
            run.Delete();
        }
    }
}

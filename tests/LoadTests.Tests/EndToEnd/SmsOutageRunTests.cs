using PaySim.LoadTests.Cli;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// sms-outage shortened to 10 s (the gateway drops every SMS from 1.7 s to 6.7 s): bindings and password resets fail
/// with sms_timeout and no other cause, the rest of them succeed, and payments and their money are untouched.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SmsOutageRunTests
{
    [Fact]
    public async Task Run_SmsOutageShortened_FailsBindingsAndResetsOnlyAsSmsTimeout_AndPaymentsGoOn()
    {
        var run = await ShortRun.RunAsync("sms-outage");
        try
        {
            Assert.True(run.ExitCode == ExitCodes.AllClaimsHold, run.Describe());
            var timeline = run.Summary["faultTimeline"]!.AsArray().Select(e => (e!["what"]!.GetValue<string>(), e["atS"]!.GetValue<double>())).ToArray();
            Assert.Equal(2, timeline.Length);
            Assert.InRange(timeline[0].Item2, 1.5, 2.5);
            Assert.InRange(timeline[1].Item2, 6.5, 7.5);

            var bindings = run.Summary["bindings"]!["byCause"]!.AsObject();
            Assert.Equal(["bound", "sms_timeout"], bindings.Select(kv => kv.Key).Order().ToArray());
            Assert.True(bindings["sms_timeout"]!.GetValue<long>() >= 1 && bindings["bound"]!.GetValue<long>() >= 1, run.Describe());

            var resets = run.Summary["passwordResets"]!.AsObject();
            var resetCauses = resets["byCause"]!.AsObject();
            Assert.Equal(["sms_timeout"], resetCauses.Select(kv => kv.Key).ToArray());
            var reset = resets["reset"]!.GetValue<long>();
            Assert.True(reset >= 1, run.Describe());
            Assert.Equal(resets["attempts"]!.GetValue<long>(), reset + resetCauses["sms_timeout"]!.GetValue<long>());
            Assert.Equal(resetCauses["sms_timeout"]!.GetValue<double>(), run.Figure("figures.password_reset_failures[sms_timeout]"));

            // Every call of the reset that got as far as the wallet is counted; each success made all four.
            var calls = run.Summary["walletCalls"]!.AsObject();
            foreach (var step in new[] { "reset_confirm", "login", "old_session" })
            {
                Assert.True(calls[step]!.GetValue<long>() >= reset, $"{step}: {calls.ToJsonString()}");
            }

            Assert.True(calls["reset_start"]!.GetValue<long>() > resets["attempts"]!.GetValue<long>(), "a reset whose SMS did not come asks again: " + calls.ToJsonString());
            var payment = run.Summary["scenarios"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "payment")!;
            Assert.Equal(0, payment["fail"]!.GetValue<long>());
            Assert.True(payment["ok"]!.GetValue<long>() >= 20, run.Describe());
            Assert.Equal(0, run.Figure("duplicateCharges"));
            run.AssertMoneyReconciles();
        }
        finally
        {
            run.Delete();
        }
    }
}

using PaySim.LoadTests.Cluster;
using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Tests.Cluster;

/// <summary>
/// Issue 15, bug 5: a resend claim that no wallet can pass against the simulator's resend cooldown is refused before
/// the run. sms-timeout's app waits 5 s for an SMS and taps "resend" once: its last chance is 2 × 5 s = 10 s.
/// </summary>
public sealed class ResendCooldownCheckTests
{
    private static LoadPlan Shipped(string name)
    {
        var (json, source) = PlanCatalog.Resolve(name);
        return PlanCompiler.Compile(json, source);
    }

    [Fact]
    public void SmsTimeout_AgainstTheSimulatorsDefaultMinute_IsRefusedInOneLineNamingTheSettingAndTheFlag()
    {
        var refusal = ResendCooldownCheck.Refusal(Shipped("sms-timeout"), TimeSpan.FromSeconds(60));

        Assert.Equal(
            "plan sms-timeout: claim \"bind_resends >= 1\" cannot pass against this simulator: its resendCooldown (GET /v1/settings) is 1m, "
            + "longer than the app waits for a resend (client.smsTimeout 5s × (1 + client.otpResends 1) = 10s), so no resend can be accepted; "
            + "start the simulator with --resend-cooldown 5s (at most 10s), as the embedded target does.",
            refusal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5_000)]
    [InlineData(10_000)]
    public void SmsTimeout_WithACooldownTheAppCanWaitOut_IsNotRefused(int cooldownMs)
    {
        Assert.Null(ResendCooldownCheck.Refusal(Shipped("sms-timeout"), TimeSpan.FromMilliseconds(cooldownMs)));
    }

    [Fact]
    public void ACooldownBetweenOneAndTwoWaits_RunsWithANote()
    {
        var plan = Shipped("sms-timeout");

        Assert.Null(ResendCooldownCheck.Refusal(plan, TimeSpan.FromSeconds(8)));
        Assert.StartsWith("simulator: resendCooldown 8s is longer than client.smsTimeout 5s: ", ResendCooldownCheck.Note(plan, TimeSpan.FromSeconds(8)), StringComparison.Ordinal);
        Assert.Null(ResendCooldownCheck.Note(plan, TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData("smoke")]
    [InlineData("node-loss")]
    public void APlanWithoutAResendClaim_IsNeverRefused(string name)
    {
        var plan = Shipped(name);

        Assert.Null(ResendCooldownCheck.NeedsResend(plan));
        Assert.Null(ResendCooldownCheck.Refusal(plan, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void MoreResends_WaitLonger()
    {
        var plan = Shipped("sms-timeout");
        var patient = plan with { Client = plan.Client with { OtpResends = 3 } };

        Assert.Equal(TimeSpan.FromSeconds(20), ResendCooldownCheck.LastChance(patient.Client));
        Assert.Null(ResendCooldownCheck.Refusal(patient, TimeSpan.FromSeconds(20)));
        Assert.NotNull(ResendCooldownCheck.Refusal(patient, TimeSpan.FromSeconds(21)));
    }
}

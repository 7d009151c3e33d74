using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Cluster;

/// <summary>
/// Whether a plan's resend claims can pass against a simulator with a given resend cooldown (issue 15, bug 5). The app
/// taps "resend" after waiting <c>client.smsTimeout</c> for the SMS, waits out a "too soon" when it is at most
/// <c>smsTimeout</c>, and taps at most <c>client.otpResends</c> times: its last chance to have a resend accepted is
/// (1 + otpResends) × smsTimeout after the code was sent. A cooldown longer than that refuses every resend, so a claim
/// that needs one (<c>bind_resends &gt;= 1</c>) cannot pass, whatever the wallet does.
/// </summary>
internal static class ResendCooldownCheck
{
    /// <summary>How long after the code was sent the app still gets a resend accepted.</summary>
    public static TimeSpan LastChance(ClientBehaviour client) => client.SmsTimeout * (1 + client.OtpResends);

    /// <summary>The first claim that needs an accepted resend (it fails when no resend is ever accepted), or null.</summary>
    public static Claim? NeedsResend(LoadPlan plan) =>
        plan.Client.OtpResends < 1
            ? null
            : plan.Claims.FirstOrDefault(c => c.Expression.ScopeKind is null
                && c.Expression.Metric is ClaimMetrics.BindResends or ClaimMetrics.BindBoundAfterResend
                && !c.Expression.Compare(0));

    /// <summary>The one line that refuses the run (a <see cref="PlanException"/> message), or null when the claims can pass.</summary>
    public static string? Refusal(LoadPlan plan, TimeSpan cooldown)
    {
        var lastChance = LastChance(plan.Client);
        if (cooldown <= lastChance || NeedsResend(plan) is not { } claim)
        {
            return null;
        }

        return $"plan {plan.Source}: claim \"{claim.Text}\" cannot pass against this simulator: its resendCooldown (GET /v1/settings) is {DurationText.Format(cooldown)}, "
            + $"longer than the app waits for a resend (client.smsTimeout {DurationText.Format(plan.Client.SmsTimeout)} × (1 + client.otpResends {plan.Client.OtpResends}) = {DurationText.Format(lastChance)}), so no resend can be accepted; "
            + $"start the simulator with --resend-cooldown {DurationText.Format(plan.Client.SmsTimeout)} (at most {DurationText.Format(lastChance)}), as the embedded target does.";
    }

    /// <summary>A note when resends pass only after a "too soon" is waited out (cooldown between smsTimeout and the last chance), else null.</summary>
    public static string? Note(LoadPlan plan, TimeSpan cooldown) =>
        NeedsResend(plan) is not null && cooldown > plan.Client.SmsTimeout && cooldown <= LastChance(plan.Client)
            ? $"simulator: resendCooldown {DurationText.Format(cooldown)} is longer than client.smsTimeout {DurationText.Format(plan.Client.SmsTimeout)}: a resend is accepted only once that has passed, after a \"too soon\" the wallet waits out or passes on (429 with retryAfterMs)"
            : null;
}

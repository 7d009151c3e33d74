namespace PaySim.LoadTests.Scenarios;

/// <summary>
/// How a step-up payment (pay above the issuer's threshold → 202 → the SMS code → authenticate) ended, as
/// <c>step_up_failures[cause]</c> names it: split the way binding failures are, by the wallet's error code
/// (<c>otp_wrong</c>, <c>challenge_expired</c>, <c>otp_attempts_exceeded</c>, <c>issuer_unavailable</c>, …), by
/// <see cref="SmsTimeout"/> when no code came within the app's SMS wait and resends, and by what a call without a
/// reply says (<c>timeout</c>, <c>connection_failed</c>).
/// </summary>
internal static class StepUpCauses
{
    /// <summary>The code was accepted and the payment completed.</summary>
    public const string Authenticated = "authenticated";

    /// <summary>No step-up SMS came within client.smsTimeout, after client.otpResends resends.</summary>
    public const string SmsTimeout = "sms_timeout";

    /// <summary>The pay answered 2xx without a challenge: the issuer's step-up did not reach the app.</summary>
    public const string NotChallenged = "not_challenged";

    /// <summary>The 202 named no payment to authenticate.</summary>
    public const string NoPaymentId = "no_payment_id";

    /// <summary>The cause of a wallet reply to pay or authenticate that ended the step-up (a 2xx to authenticate is <see cref="Authenticated"/>).</summary>
    public static string Classify(int status, string? code) => status switch
    {
        >= 200 and < 300 => Authenticated,
        0 => string.IsNullOrEmpty(code) ? "no_reply" : code,
        _ => string.IsNullOrEmpty(code) ? $"http_{status}" : code,
    };
}

using PaySim.LoadTests.Plans.Documents;

namespace PaySim.LoadTests.Plans;

/// <summary>The plan's <c>client</c>: how the simulated app behaves (timeouts, retries, resends, double taps, amounts).</summary>
internal static class ClientCompiler
{
    public static ClientBehaviour Compile(PlanClientDocument? doc, string p)
    {
        var client = new ClientBehaviour();
        if (doc is null)
        {
            return client;
        }

        var timeout = doc.Timeout is null ? client.Timeout : DurationText.Parse(doc.Timeout, $"{p} client.timeout");
        var sms = doc.SmsTimeout is null ? client.SmsTimeout : DurationText.Parse(doc.SmsTimeout, $"{p} client.smsTimeout");
        if (timeout <= TimeSpan.Zero || sms <= TimeSpan.Zero)
        {
            throw new PlanException($"{p} client.timeout/smsTimeout: must be > 0.");
        }

        if (doc.PaymentRetries is < 0 or > 10)
        {
            throw new PlanException($"{p} client.paymentRetries: must be between 0 and 10, got {doc.PaymentRetries}.");
        }

        if (doc.OtpResends is < 0 or > ClientBehaviour.MaxOtpResends)
        {
            throw new PlanException($"{p} client.otpResends: must be between 0 and {ClientBehaviour.MaxOtpResends}, got {doc.OtpResends}.");
        }

        if (doc.DoubleTap is { } tap && !(tap is >= 0 and <= 1))
        {
            throw new PlanException($"{p} client.doubleTap: must be a share between 0 and 1 (0.3 = 30% of payments sent twice at once), got {tap.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        var min = doc.MinAmountMinor ?? client.MinAmountMinor;
        var max = doc.MaxAmountMinor ?? client.MaxAmountMinor;
        if (min < 1 || max < min)
        {
            throw new PlanException($"{p} client.minAmountMinor/maxAmountMinor: need 1 <= min <= max, got {min} and {max}.");
        }

        return new ClientBehaviour { Timeout = timeout, SmsTimeout = sms, PaymentRetries = doc.PaymentRetries ?? 0, OtpResends = doc.OtpResends ?? client.OtpResends, DoubleTap = doc.DoubleTap ?? 0, MinAmountMinor = min, MaxAmountMinor = max };
    }
}

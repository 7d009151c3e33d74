using System.Globalization;
using System.Text.RegularExpressions;

namespace PaySim.Simulator.Sms;

/// <summary>OTP message texts in the cardholder's language, and the parser that reads the code back.</summary>
internal static partial class SmsText
{
    public const string ZhSender = "模拟银行";
    public const string EnSender = "SimBank";

    public static string Sender(string locale) => IsZh(locale) ? ZhSender : EnSender;

    public static string Otp(string locale, string code, TimeSpan ttl)
    {
        var minutes = Math.Max(1, (int)Math.Round(ttl.TotalMinutes)).ToString(CultureInfo.InvariantCulture);
        return IsZh(locale)
            ? $"【{ZhSender}】验证码 {code}，{minutes}分钟内有效，请勿泄露给他人。"
            : $"[{EnSender}] Your verification code is {code}. It expires in {minutes} minutes. Never share it.";
    }

    /// <summary>A payment step-up code (1A): the code comes first, so it is the group <see cref="ParseOtp"/> finds.</summary>
    public static string PaymentOtp(string locale, string code, TimeSpan ttl, string currency, long amountMinor, string merchantId)
    {
        var minutes = Math.Max(1, (int)Math.Round(ttl.TotalMinutes)).ToString(CultureInfo.InvariantCulture);
        var amount = Money(currency, amountMinor);
        return IsZh(locale)
            ? $"【{ZhSender}】支付验证码 {code}，向 {merchantId} 支付 {amount}，{minutes}分钟内有效，请勿泄露给他人。"
            : $"[{EnSender}] Your payment code is {code} for {amount} at {merchantId}. It expires in {minutes} minutes. Never share it.";
    }

    /// <summary>The notice after a capture (<paramref name="refund"/> false) or a refund: the total on the authorization so far.</summary>
    public static string TransactionNotice(string locale, bool refund, string last4, string currency, long totalMinor, string authorizationId)
    {
        var amount = Money(currency, totalMinor);
        return (IsZh(locale), refund) switch
        {
            (true, false) => $"【{ZhSender}】您尾号{last4}的卡已扣款，本笔交易累计 {amount}（{authorizationId}）。",
            (true, true) => $"【{ZhSender}】您尾号{last4}的卡已退款，本笔交易累计退款 {amount}（{authorizationId}）。",
            (false, false) => $"[{EnSender}] Card ending {last4}: charged, {amount} in total on payment {authorizationId}.",
            _ => $"[{EnSender}] Card ending {last4}: refunded, {amount} in total on payment {authorizationId}.",
        };
    }

    // Grouped thousands: an amount never reads as a 6-digit code.
    private static string Money(string currency, long minor) =>
        currency + " " + (minor / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);

    /// <summary>The first standalone 6-digit group in the text, or "".</summary>
    public static string ParseOtp(string text)
    {
        var m = OtpPattern().Match(text);
        return m.Success ? m.Value : "";
    }

    private static bool IsZh(string locale) => locale.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"(?<!\d)\d{6}(?!\d)")]
    private static partial Regex OtpPattern();
}

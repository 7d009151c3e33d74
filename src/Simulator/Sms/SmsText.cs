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

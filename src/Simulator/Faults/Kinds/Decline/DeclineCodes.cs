using PaySim.Contracts.Issuer.V1;

namespace PaySim.Simulator.Faults.Kinds.Decline;

/// <summary>The ISO 8583 response codes the issuer speaks and the reason a decline with each code carries by default.</summary>
public static class DeclineCodes
{
    public const string IssuerUnavailable = "91";

    private static readonly (string Code, DeclineReason Reason, string Message)[] Known =
    [
        ("05", DeclineReason.DoNotHonour, "do not honour"),
        ("14", DeclineReason.PanUnknown, "invalid card number"),
        ("51", DeclineReason.InsufficientFunds, "insufficient funds"),
        ("54", DeclineReason.Expired, "expired card"),
        ("55", DeclineReason.OtpWrong, "wrong PIN or OTP"),
        ("61", DeclineReason.OverLimit, "exceeds withdrawal limit"),
        ("91", DeclineReason.IssuerUnavailable, "issuer unavailable"),
        ("96", DeclineReason.SystemError, "system error"),
    ];

    public static string Allowed { get; } = string.Join(", ", Known.Select(k => k.Code)) + " (or any other two-digit code except 00)";

    /// <summary>Any two-digit code except 00 (approved) is a decline; unknown codes are allowed for exotic issuers.</summary>
    public static bool IsValid(string? code) =>
        code is { Length: 2 } && char.IsAsciiDigit(code[0]) && char.IsAsciiDigit(code[1]) && code != "00";

    public static DeclineReason DefaultReason(string code)
    {
        foreach (var entry in Known)
        {
            if (entry.Code == code)
            {
                return entry.Reason;
            }
        }

        return DeclineReason.DoNotHonour;
    }

    public static string DefaultMessage(string code)
    {
        foreach (var entry in Known)
        {
            if (entry.Code == code)
            {
                return entry.Message;
            }
        }

        return "declined";
    }
}

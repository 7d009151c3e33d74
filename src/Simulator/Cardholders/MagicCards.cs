using PaySim.Simulator.Cards;

namespace PaySim.Simulator.Cardholders;

/// <summary>
/// Fixed test cards present in every registry whatever the seed, like payment providers' test cards:
/// one per response code, so any decline can be reproduced by hand. PANs are 629999 0000 00CC 0K
/// (CC = the response code, K = the Luhn digit); reserved phones are 138000000CC.
/// </summary>
internal static class MagicCards
{
    public static readonly IReadOnlyList<CardholderRecord> All = Build();

    private static IReadOnlyList<CardholderRecord> Build()
    {
        (string Code, MagicBehaviour Behaviour, string Reason, string Name)[] specs =
        [
            ("00", MagicBehaviour.Approve, "", "测试通过"),
            ("05", MagicBehaviour.DoNotHonour, "DO_NOT_HONOUR", "测试拒付"),
            ("14", MagicBehaviour.InvalidCard, "PAN_UNKNOWN", "测试无效卡"),
            ("51", MagicBehaviour.InsufficientFunds, "INSUFFICIENT_FUNDS", "测试余额不足"),
            ("54", MagicBehaviour.Expired, "EXPIRED", "测试过期卡"),
            ("55", MagicBehaviour.OtpAlwaysWrong, "OTP_WRONG", "测试验证码错误"),
            ("61", MagicBehaviour.OverLimit, "OVER_LIMIT", "测试超限"),
            ("91", MagicBehaviour.IssuerUnavailable, "ISSUER_UNAVAILABLE", "测试发卡行不可用"),
            ("96", MagicBehaviour.SystemError, "SYSTEM_ERROR", "测试系统错误"),
        ];

        var list = new List<CardholderRecord>(specs.Length);
        for (var i = 0; i < specs.Length; i++)
        {
            var (code, behaviour, reason, name) = specs[i];
            var phone = "138000000" + code;
            list.Add(new CardholderRecord
            {
                Index = -1 - i,
                Pan = Luhn.Complete("629999000000" + code + "0"),
                Network = CardNetwork.UnionPay,
                Expiry = behaviour == MagicBehaviour.Expired ? "01/20" : "12/35",
                Cvv = "123",
                HolderName = name,
                IdNumber = ResidentId.Create("110101", new DateOnly(1990, 1, 1), 100 + i),
                Phone = phone,
                BalanceMinor = behaviour == MagicBehaviour.InsufficientFunds ? 0 : 100_000_000,
                DailyLimitMinor = behaviour == MagicBehaviour.OverLimit ? 0 : 100_000_000,
                Currency = "CNY",
                Status = behaviour == MagicBehaviour.Expired ? "expired" : "active",
                Persona = Persona.Magic,
                Locale = CardholderGenerator.ZhCn,
                InputHolderName = name,
                InputIdNumber = ResidentId.Create("110101", new DateOnly(1990, 1, 1), 100 + i),
                InputPhone = phone,
                ExpectedResponseCode = code,
                ExpectedDeclineReason = reason,
                Magic = behaviour,
            });
        }

        return list;
    }
}

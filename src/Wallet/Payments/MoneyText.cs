using System.Globalization;

namespace PaySim.Wallet.Payments;

/// <summary>Amounts as notifications show them: "123.45 CNY".</summary>
internal static class MoneyText
{
    public static string Of(long minor, string currency) => (minor / 100m).ToString("0.00", CultureInfo.InvariantCulture) + " " + currency;
}

using PaySim.Contracts.Qr;
using PaySim.LoadTests.SimulatorControl;

namespace PaySim.LoadTests.Scenarios;

/// <summary>
/// The codes the qr-pay scenario scans (docs/plans.md, "Scenarios"): one of the simulator's merchants (its id, name and
/// city, as <c>GET /v1/merchants</c> prints them), written with <see cref="EmvQr"/> in the payer's card currency, as a
/// counter's printed static code (the payer types the amount) or a checkout's dynamic code (amount and order reference in
/// the QR).
/// </summary>
internal static class QrCodes
{
    /// <summary>ISO 4217 numeric codes (tag 53) of the currencies cards are issued in.</summary>
    public static readonly IReadOnlyDictionary<string, string> NumericCurrency = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CNY"] = "156",
        ["USD"] = "840",
    };

    /// <summary>The code for one payment of <paramref name="amountMinor"/> to <paramref name="merchant"/> in <paramref name="currency"/>.</summary>
    public static ScannedQr Build(SimMerchant merchant, string currency, long amountMinor, bool dynamic, string orderReference)
    {
        var numeric = NumericCurrency.TryGetValue(currency, out var n) ? n : merchant.CurrencyNumeric;
        var name = Clip(merchant.Name, EmvQr.MaxNameLength, merchant.MerchantId);
        var city = Clip(merchant.City, EmvQr.MaxCityLength, "Shanghai");
        return dynamic
            ? new ScannedQr(EmvQr.Build(new MerchantQr(merchant.MerchantId, name, city, numeric, amountMinor, orderReference)), merchant.MerchantId, null, orderReference)
            : new ScannedQr(EmvQr.Build(new MerchantQr(merchant.MerchantId, name, city, numeric, null, null)), merchant.MerchantId, amountMinor, string.Empty);
    }

    private static string Clip(string text, int max, string fallback)
    {
        var value = text.Length == 0 ? fallback : text;
        return value.Length <= max ? value : value[..max];
    }
}

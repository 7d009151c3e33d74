using PaySim.Contracts.Qr;
using PaySim.LoadTests.Scenarios;
using PaySim.LoadTests.SimulatorControl;

namespace PaySim.LoadTests.Tests.Scenarios;

/// <summary>The codes qr-pay scans: one of the simulator's merchants, in the card's currency, static or dynamic.</summary>
public sealed class QrCodesTests
{
    private static readonly SimMerchant Merchant = new(
        "m-qr-000001", "Murray, Tromp and Corkery", "South Johanna", "156", 32944,
        "00020101021226370018cn.paysim.merchant0111m-qr-0000015204599953031565406329.445802CN5925Murray, Tromp and Corkery6013South Johanna63042039");

    [Fact]
    public void Dynamic_CarriesTheAmountAndTheOrderReference_AndTheAppTypesNothing()
    {
        var qr = QrCodes.Build(Merchant, "CNY", 1999, dynamic: true, "run42-qr-pay-7");

        Assert.True(EmvQr.TryParse(qr.Payload, out var read, out var problem), problem);
        Assert.Equal(new MerchantQr("m-qr-000001", "Murray, Tromp and Corkery", "South Johanna", "156", 1999, "run42-qr-pay-7"), read);
        Assert.Contains("010212", qr.Payload, StringComparison.Ordinal);
        Assert.Contains("540519.99", qr.Payload, StringComparison.Ordinal);
        Assert.Equal(("m-qr-000001", (long?)null, "run42-qr-pay-7"), (qr.MerchantId, qr.TypedAmountMinor, qr.OrderReference));
    }

    [Fact]
    public void Static_HasNoAmountNorReference_AndTheAppTypesTheAmount()
    {
        var qr = QrCodes.Build(Merchant, "CNY", 250, dynamic: false, "run42-qr-pay-8");

        Assert.True(EmvQr.TryParse(qr.Payload, out var read, out var problem), problem);
        Assert.Equal(new MerchantQr("m-qr-000001", "Murray, Tromp and Corkery", "South Johanna", "156", null, null), read);
        Assert.Contains("010211", qr.Payload, StringComparison.Ordinal);
        Assert.Equal(((long?)250, string.Empty), (qr.TypedAmountMinor, qr.OrderReference));
    }

    [Fact]
    public void ACardInDollars_GetsACodeInDollars_SoTheIssuerSeesTheCardsCurrency()
    {
        var qr = QrCodes.Build(Merchant, "USD", 500, dynamic: true, "o-1");

        Assert.True(EmvQr.TryParse(qr.Payload, out var read, out _));
        Assert.Equal("840", read!.CurrencyNumeric);
        Assert.Equal(500, read.AmountMinor);
    }

    [Fact]
    public void TheChecksumCoversTheCode_SoOneChangedDigitIsRefused()
    {
        var qr = QrCodes.Build(Merchant, "CNY", 1999, dynamic: true, "o-2").Payload;
        var tampered = qr.Replace("19.99", "91.99", StringComparison.Ordinal);

        Assert.False(EmvQr.TryParse(tampered, out _, out var problem));
        Assert.Contains("CRC", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ALongMerchantName_IsClippedToWhatTheCodeHolds()
    {
        var qr = QrCodes.Build(Merchant with { Name = new string('n', 40), City = new string('c', 20) }, "CNY", 100, dynamic: false, "o-3");

        Assert.True(EmvQr.TryParse(qr.Payload, out var read, out var problem), problem);
        Assert.Equal((EmvQr.MaxNameLength, EmvQr.MaxCityLength), (read!.Name.Length, read.City.Length));
    }
}

using PaySim.Contracts.Qr;

namespace PaySim.Contracts.Tests.Qr;

/// <summary>The one EMVCo merchant-presented QR reading of the simulator and the wallet: CRC vectors, round trips, and each bad payload named.</summary>
public sealed class EmvQrTests
{
    private static readonly MerchantQr Static = new("m-0001", "Lucky Noodle House", "Shanghai", "156", null, null);
    private static readonly MerchantQr Dynamic = new("m-0002", "Jade Tea", "Beijing", "156", 1999, "INV-42");

    [Theory]
    [InlineData("123456789", 0x29B1)]
    [InlineData("", 0xFFFF)]
    [InlineData("A", 0xB915)]
    public void Crc16_CcittFalse_MatchesTheKnownVectors(string text, int crc) =>
        Assert.Equal((ushort)crc, Crc16.CcittFalse(text));

    [Fact]
    public void Parse_ReadsAPublishedEmvcoSample()
    {
        // A widely published EMVCo sample payload: its CRC (tag 63) must agree with ours.
        const string sample = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";
        Assert.Equal("A13A", sample[^4..]);
        Assert.Equal("A13A", Crc16.CcittFalse(sample.AsSpan(0, sample.Length - 4)).ToString("X4"));
    }

    [Fact]
    public void Build_ThenParse_GivesTheSameMerchant()
    {
        foreach (var qr in new[] { Static, Dynamic })
        {
            var payload = EmvQr.Build(qr);
            Assert.True(EmvQr.TryParse(payload, out var read, out var problem), problem);
            Assert.Equal(qr, read);
        }
    }

    [Fact]
    public void Build_WritesTheEmvcoFields()
    {
        var payload = EmvQr.Build(Dynamic);
        Assert.StartsWith("000201010212", payload, StringComparison.Ordinal);           // format 01, dynamic (12)
        Assert.Contains("5303156", payload, StringComparison.Ordinal);                  // currency 156
        Assert.Contains("540519.99", payload, StringComparison.Ordinal);                 // amount 19.99
        Assert.Contains("5908Jade Tea6007Beijing", payload, StringComparison.Ordinal);   // name, city
        Assert.Matches("6304[0-9A-F]{4}$", payload);
        Assert.StartsWith("000201010211", EmvQr.Build(Static), StringComparison.Ordinal); // static (11), no tag 54
        Assert.DoesNotContain("54", EmvQr.Build(Static)[..20], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesABadCrc_NamingBothValues()
    {
        var payload = EmvQr.Build(Dynamic);
        var tampered = payload.Replace("19.99", "99.99", StringComparison.Ordinal);
        Assert.False(EmvQr.TryParse(tampered, out _, out var problem));
        Assert.StartsWith("bad CRC: tag 63 says " + payload[^4..] + " but the payload gives ", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "the QR payload is empty")]
    [InlineData("0002010102", "bad TLV at position 6: tag 01 says 2 characters but 0 remain")]
    [InlineData("000201x10211", "bad TLV at position 6: tag and length must be 2 digits each")]
    [InlineData("0002010102116304", "bad TLV at position 12: tag 63 says 4 characters but 0 remain")]
    [InlineData("000201010211", "bad TLV: the payload must end with tag 63")]
    [InlineData("010211000201", "bad TLV: the payload must start with tag 00")]
    public void Parse_RefusesABadTlv_NamingWhere(string payload, string problemStart)
    {
        Assert.False(EmvQr.TryParse(payload, out var qr, out var problem));
        Assert.Null(qr);
        Assert.StartsWith(problemStart, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesAMissingField_NamingTheTag()
    {
        var account = Tlv("26", Tlv("00", EmvQr.GloballyUniqueId) + Tlv("01", "m-0001"));
        Assert.Equal("bad TLV: tag 59 (merchant name) must be 1 to 25 characters", Problem(WithCrc(Head + account + "5303156" + "6005Xi'an")));
        Assert.StartsWith("bad TLV: tag 60 (merchant city)", Problem(WithCrc(Head + account + "5303156" + "5902Ab")), StringComparison.Ordinal);
        Assert.StartsWith("bad TLV: tag 53", Problem(WithCrc(Head + account + "5902Ab6005Xi'an")), StringComparison.Ordinal);
        Assert.StartsWith("bad TLV: tag 26", Problem(WithCrc(Head + "53031565902Ab6005Xi'an")), StringComparison.Ordinal);
        Assert.StartsWith("bad TLV: tag 26", Problem(WithCrc(Head + Tlv("26", Tlv("00", EmvQr.GloballyUniqueId)) + "53031565902Ab6005Xi'an")), StringComparison.Ordinal);
        Assert.StartsWith("bad TLV: tag 54 (amount) '0.00'", Problem(WithCrc(Head + account + "530315654040.005902Ab6005Xi'an")), StringComparison.Ordinal);
        Assert.StartsWith("bad TLV: tag 54 (amount) '1.999'", Problem(WithCrc(Head + account + "530315654051.9995902Ab6005Xi'an")), StringComparison.Ordinal);
        Assert.StartsWith("bad TLV: tag 54 (amount) '10000000000000'", Problem(WithCrc(Head + account + "5303156541410000000000000" + "5902Ab6005Xi'an")), StringComparison.Ordinal);
        Assert.Equal("bad TLV: tag 53 appears more than once", Problem(WithCrc(Head + account + "53031565303156" + "5902Ab6005Xi'an")));
    }

    [Fact]
    public void Parse_ReadsAmountsAsMinorUnits()
    {
        var account = Tlv("26", Tlv("00", EmvQr.GloballyUniqueId) + Tlv("01", "m-0001"));
        foreach (var (text, minor) in new[] { ("5", 500L), ("5.5", 550L), ("0.01", 1L), ("1234567.89", 123456789L), ("10000000000.01", 1_000_000_000_001L), ("9999999999999", 999_999_999_999_900L) })
        {
            var payload = WithCrc(Head + account + "5303156" + Tlv("54", text) + "5902Ab6005Xi'an");
            Assert.True(EmvQr.TryParse(payload, out var qr, out var problem), problem);
            Assert.Equal(minor, qr!.AmountMinor);
        }
    }

    private const string Head = "000201010211";

    private static string Tlv(string tag, string value) => tag + value.Length.ToString("00") + value;

    private static string Problem(string payload)
    {
        Assert.False(EmvQr.TryParse(payload, out _, out var problem));
        return problem;
    }

    private static string WithCrc(string body) => body + "6304" + Crc16.CcittFalse(body + "6304").ToString("X4");
}

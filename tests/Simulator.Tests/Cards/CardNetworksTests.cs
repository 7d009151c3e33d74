using PaySim.Simulator.Cards;

namespace PaySim.Simulator.Tests.Cards;

public sealed class CardNetworksTests
{
    [Theory]
    [InlineData("6212345678901232", "UnionPay")]
    [InlineData("4111111111111111", "Visa")]
    [InlineData("5555555555554444", "Mastercard")]
    [InlineData("2221000000000009", "Mastercard")]
    [InlineData("2720990000000000", "Mastercard")]
    [InlineData("378282246310005", "Amex")]
    [InlineData("341111111111111", "Amex")]
    public void Detect_ByPrefixAndLength_NamesTheNetwork(string pan, string network) => Assert.Equal(Enum.Parse<CardNetwork>(network), CardNetworks.Detect(pan));

    [Theory]
    [InlineData("2220990000000000")]
    [InlineData("2721000000000000")]
    [InlineData("5611111111111111")]
    [InlineData("3782822463100051")]
    public void Detect_OutsideEveryRange_IsNull(string pan) => Assert.Null(CardNetworks.Detect(pan));

    [Theory]
    [InlineData("UnionPay", 16)]
    [InlineData("Visa", 16)]
    [InlineData("Mastercard", 16)]
    [InlineData("Amex", 15)]
    public void Generate_ThousandCards_HaveTheNetworksPrefixLengthAndLuhnDigit(string name, int length)
    {
        var network = Enum.Parse<CardNetwork>(name);
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            var pan = CardNetworks.Generate(network, random.Next);
            Assert.Equal(length, pan.Length);
            Assert.True(Luhn.IsValid(pan), pan);
            Assert.Equal(network, CardNetworks.Detect(pan));
        }
    }
}

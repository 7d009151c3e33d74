using PaySim.Simulator.Cards;

namespace PaySim.Simulator.Tests.Cards;

public sealed class LuhnTests
{
    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("5555555555554444", true)]
    [InlineData("378282246310005", true)]
    [InlineData("6212345678901232", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("41111111111111a1", false)]
    [InlineData("4", false)]
    public void IsValid_KnownNumbers_MatchesTheLuhnCheck(string pan, bool valid) => Assert.Equal(valid, Luhn.IsValid(pan));

    [Fact]
    public void Complete_AppendsTheDigitThatMakesTheNumberValid()
    {
        Assert.Equal("4111111111111111", Luhn.Complete("411111111111111"));
        for (var i = 0; i < 1000; i++)
        {
            var payload = (1_000_000_000_000_000L + i * 7919L).ToString(System.Globalization.CultureInfo.InvariantCulture)[..15];
            Assert.True(Luhn.IsValid(Luhn.Complete(payload)));
        }
    }
}

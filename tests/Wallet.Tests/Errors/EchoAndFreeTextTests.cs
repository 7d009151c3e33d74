using PaySim.Wallet.Errors;

namespace PaySim.Wallet.Tests.Errors;

public sealed class EchoAndFreeTextTests
{
    [Fact]
    public void Echo_KeepsAShortValueWhole()
    {
        Assert.Equal("'b_1'", Echo.Quoted("b_1"));
        Assert.Equal("/cards", Echo.Plain("/cards"));
        Assert.Equal(new string('x', 64), Echo.Plain(new string('x', 64)));
    }

    [Fact]
    public void Echo_CutsALongValueBetweenCodePoints_AndSaysHowLongItWas()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", 65));

        var cut = Echo.Quoted(emoji);

        Assert.Equal($"'{string.Concat(Enumerable.Repeat("😀", 64))}…' (cut to the first 64 of its 65 characters (Unicode code points))", cut);
    }

    [Theory]
    [InlineData("m\u0000x")]
    [InlineData("m\rx")]
    [InlineData("\u007F")]
    [InlineData("m\u009Bx")]
    [InlineData("m\u2029x")]
    public void FreeText_RefusesControlCharacters(string text)
    {
        Assert.Equal("merchant must not contain control characters such as line breaks", FreeText.CheckRequired(text, "merchant", 64));
        Assert.Equal("name must not contain control characters such as line breaks", FreeText.CheckOptional(text, "name", 100));
    }

    [Fact]
    public void FreeText_KeepsTheLengthRules()
    {
        Assert.Null(FreeText.CheckRequired("m-coffee", "merchant", 64));
        Assert.Equal("merchant must be 1 to 64 characters (Unicode code points)", FreeText.CheckRequired(" ", "merchant", 64));
        Assert.Equal("merchant must be 1 to 64 characters (Unicode code points)", FreeText.CheckRequired(null, "merchant", 64));
        Assert.Null(FreeText.CheckOptional(null, "name", 100));
        Assert.Equal("name must have at most 100 characters (Unicode code points)", FreeText.CheckOptional(new string('n', 101), "name", 100));
    }
}

using PaySim.Wallet.Accounts;

namespace PaySim.Wallet.Tests.Accounts;

public sealed class CredentialRulesTests
{
    [Theory]
    [InlineData("13812345678")]
    [InlineData("+447700900123")]
    [InlineData("123456")]
    public void CheckPhone_AcceptsDigitsWithOptionalPlus(string phone) => Assert.Null(CredentialRules.CheckPhone(phone));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1381234567890123")]
    [InlineData("138-1234-5678")]
    [InlineData("++13812345678")]
    public void CheckPhone_RejectsAnythingElse(string? phone) => Assert.NotNull(CredentialRules.CheckPhone(phone));

    [Theory]
    [InlineData("passw0rd")]
    [InlineData("correct horse 9 battery")]
    public void CheckPassword_AcceptsEightCharactersWithLetterAndDigit(string password) =>
        Assert.Null(CredentialRules.CheckPassword(password, "13812345678", 8));

    [Theory]
    [InlineData(null, "at least 8")]
    [InlineData("pass0rd", "at least 8")]
    [InlineData("passwordonly", "letter and one digit")]
    [InlineData("1234567890", "letter and one digit")]
    [InlineData("x13812345678", "phone")]
    public void CheckPassword_NamesTheBrokenRule(string? password, string expected) =>
        Assert.Contains(expected, CredentialRules.CheckPassword(password, "13812345678", 8));

    [Fact]
    public void CheckPassword_CountsCodePoints_SoAnEmojiIsOneCharacter()
    {
        // 3 emoji + "a1" is 5 characters (8 UTF-16 units); 64 emoji + "a1" is 66 (130 units).
        Assert.Equal("password must have at least 8 characters (Unicode code points)", CredentialRules.CheckPassword("😀😀😀a1", null, 8));
        Assert.Null(CredentialRules.CheckPassword(string.Concat(Enumerable.Repeat("😀", 64)) + "a1", null, 8));
    }

    [Fact]
    public void CheckPassword_RejectsMoreThan128Characters() =>
        Assert.Contains("at most 128", CredentialRules.CheckPassword(new string('a', 128) + "1", null, 8));

    [Theory]
    [InlineData("246810")]
    [InlineData("135792")]
    [InlineData("000001")]
    [InlineData("123457")]
    public void CheckPin_AcceptsSixDigitsThatAreNotTrivial(string pin) => Assert.Null(CredentialRules.CheckPin(pin));

    [Theory]
    [InlineData(null, "exactly 6 digits")]
    [InlineData("12345", "exactly 6 digits")]
    [InlineData("1234567", "exactly 6 digits")]
    [InlineData("12a456", "exactly 6 digits")]
    [InlineData("１２３４５６", "exactly 6 digits")]
    [InlineData("111111", "repeated")]
    [InlineData("123456", "straight run")]
    [InlineData("654321", "straight run")]
    [InlineData("345678", "straight run")]
    public void CheckPin_NamesTheBrokenRule(string? pin, string expected) => Assert.Contains(expected, CredentialRules.CheckPin(pin));
}

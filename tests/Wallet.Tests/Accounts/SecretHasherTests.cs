using PaySim.Wallet.Accounts;

namespace PaySim.Wallet.Tests.Accounts;

public sealed class SecretHasherTests
{
    [Fact]
    public void Verify_AcceptsTheSecretAndRejectsAnyOther()
    {
        var stored = SecretHasher.Hash("passw0rd", 1_000);

        Assert.True(SecretHasher.Verify("passw0rd", stored));
        Assert.False(SecretHasher.Verify("passw0rD", stored));
        Assert.False(SecretHasher.Verify(string.Empty, stored));
    }

    [Fact]
    public void Hash_IsSaltedAndRecordsItsIterations()
    {
        var a = SecretHasher.Hash("246810", 1_234);
        var b = SecretHasher.Hash("246810", 1_234);

        Assert.NotEqual(a, b);
        Assert.StartsWith("pbkdf2-sha256$1234$", a, StringComparison.Ordinal);
        Assert.DoesNotContain("246810", a, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_UsesTheIterationsStoredWithTheHash()
    {
        var old = SecretHasher.Hash("passw0rd", 1_000);

        Assert.True(SecretHasher.Verify("passw0rd", old));
        Assert.False(SecretHasher.Verify("passw0rd", old.Replace("$1000$", "$2000$", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("md5$1$x$y")]
    public void Verify_RejectsMalformedHashes(string stored) => Assert.False(SecretHasher.Verify("x", stored));
}

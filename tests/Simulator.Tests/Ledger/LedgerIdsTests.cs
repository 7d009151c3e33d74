using PaySim.Simulator.Ledger;

namespace PaySim.Simulator.Tests.Ledger;

public sealed class LedgerIdsTests
{
    [Theory]
    [InlineData(1L, "auth_0000000001")]
    [InlineData(0xabcdefL, "auth_0000abcdef")]
    [InlineData(0xffffffffffL, "auth_ffffffffff")]
    [InlineData(0x10000000000L, "auth_10000000000")]
    [InlineData(long.MaxValue, "auth_7fffffffffffffff")]
    public void Ids_have_at_least_ten_lowercase_hex_digits_and_parse_back(long sequence, string expected)
    {
        var id = LedgerIds.Authorization(sequence);

        Assert.Equal(expected, id);
        Assert.True(LedgerIds.TryParseAuthorization(id, out var parsed));
        Assert.Equal(sequence, parsed);
        Assert.Equal("rfd_" + expected["auth_".Length..], LedgerIds.Refund(sequence));
    }

    [Theory]
    [InlineData("auth_0000000000")]
    [InlineData("auth_00000000001")]
    [InlineData("auth_8000000000000000")]
    [InlineData("auth_10000000000000000")]
    [InlineData("auth_000000000g")]
    [InlineData("auth_-000000001")]
    [InlineData("rfd_0000000001")]
    public void Anything_but_the_exact_spelling_of_a_positive_number_is_refused(string id)
    {
        Assert.False(LedgerIds.TryParseAuthorization(id, out _));
    }
}

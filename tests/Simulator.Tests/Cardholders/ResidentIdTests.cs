using PaySim.Simulator.Cardholders;

namespace PaySim.Simulator.Tests.Cardholders;

public sealed class ResidentIdTests
{
    [Theory]
    [InlineData("11010519491231002X")]
    public void IsValid_PublishedExampleNumbers_Pass(string id) => Assert.True(ResidentId.IsValid(id));

    [Theory]
    [InlineData("110105194912310021")]
    [InlineData("990105194912310021")]
    [InlineData("11010519491331002X")]
    [InlineData("1101051949123100")]
    public void IsValid_WrongCheckDigitRegionDateOrLength_Fails(string id) => Assert.False(ResidentId.IsValid(id));

    [Fact]
    public void Create_PutsRegionBirthDateSequenceAndCheckDigitInPlace()
    {
        var id = ResidentId.Create("110105", new DateOnly(1949, 12, 31), 2);
        Assert.Equal("11010519491231002X", id);
    }
}

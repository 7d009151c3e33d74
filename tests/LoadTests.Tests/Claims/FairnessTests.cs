using PaySim.LoadTests.Claims;

namespace PaySim.LoadTests.Tests.Claims;

public sealed class FairnessTests
{
    [Fact]
    public void Jain_OfEqualShares_IsExactlyOne() => Assert.Equal(1.0, Fairness.Jain([100, 100, 100]), 12);

    [Fact]
    public void Jain_WhenOneNodeTakesEverything_IsOneOverN() => Assert.Equal(1.0 / 3, Fairness.Jain([90, 0, 0]), 12);

    [Fact]
    public void Jain_OfTenTwentyThirty_MatchesTheFormula()
    {
        // (10+20+30)^2 / (3 * (100+400+900)) = 3600 / 4200
        Assert.Equal(3600.0 / 4200.0, Fairness.Jain([10, 20, 30]), 12);
    }

    [Fact]
    public void Jain_OfTwoInstancesSplitSixtyForty_IsAboutPointNineSix()
    {
        // 100^2 / (2 * (3600 + 1600)) = 10000 / 10400
        Assert.Equal(10000.0 / 10400.0, Fairness.Jain([60, 40]), 12);
    }

    [Fact]
    public void Jain_WithNothingCounted_IsNaNSoAClaimCannotPass()
    {
        Assert.True(double.IsNaN(Fairness.Jain([0, 0, 0])));
        Assert.True(double.IsNaN(Fairness.Jain([])));
    }

    [Fact]
    public void MaxShare_IsTheLargestMembersFractionOfTheTotal()
    {
        Assert.Equal(0.5, Fairness.MaxShare([10, 20, 10]), 12);
        Assert.Equal(1.0 / 3, Fairness.MaxShare([7, 7, 7]), 12);
        Assert.True(double.IsNaN(Fairness.MaxShare([0, 0])));
    }
}

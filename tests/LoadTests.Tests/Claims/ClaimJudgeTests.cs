using PaySim.LoadTests.Claims;

namespace PaySim.LoadTests.Tests.Claims;

public sealed class ClaimJudgeTests
{
    [Theory]
    [InlineData("money_conserved == true", 1d, true, "true")]
    [InlineData("money_conserved == true", 0d, false, "false")]
    [InlineData("money_conserved == FALSE", 0d, true, "false")]
    [InlineData("duplicate_charges == 0", 0d, true, "0")]
    [InlineData("duplicate_charges == 0", 46d, false, "46")]
    public void A_claim_is_judged_as_written_and_a_yes_no_claim_reports_true_or_false(string written, double observed, bool pass, string observedText)
    {
        var metric = written.Split(' ')[0];

        var judged = ClaimMetrics.Judge(metric, written, key => key == metric ? observed : null);

        Assert.Equal(pass, judged.Pass);
        Assert.Equal(observedText, judged.ObservedText);
        Assert.Equal(written, judged.Expression);
        Assert.Equal(observed, judged.Observed);
    }

    [Fact]
    public void A_yes_no_claim_nobody_measured_fails_with_no_value()
    {
        var judged = ClaimMetrics.Judge("money_conserved", "money_conserved == true", _ => null);

        Assert.False(judged.Pass);
        Assert.Equal("n/a", judged.ObservedText);
        Assert.Contains("no value", judged.Message);
    }
}

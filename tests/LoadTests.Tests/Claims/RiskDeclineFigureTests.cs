using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Scenarios;

namespace PaySim.LoadTests.Tests.Claims;

/// <summary><c>risk_declines</c> and <c>risk_declines[cause]</c>: counted per cause, every cause present (zero included), shards add up.</summary>
public sealed class RiskDeclineFigureTests
{
    [Fact]
    public void RiskDeclines_AreTheTotalAndEveryCause()
    {
        var counters = new RunCounters { Recording = true };
        counters.RiskDecline(RiskCauses.Velocity);
        counters.RiskDecline(RiskCauses.Velocity);
        counters.RiskDecline(RiskCauses.Limit);
        counters.Recording = false;
        counters.RiskDecline(RiskCauses.Fraud); // set-up and after the load: not counted

        var figures = Compute(new FigureRun { Summary = new RunSummary(), RiskDeclines = counters.RiskDeclines });

        Assert.Equal(3, figures.Lookup("risk_declines"));
        Assert.Equal(2, figures.Lookup("risk_declines[velocity]"));
        Assert.Equal(1, figures.Lookup("risk_declines[limit]"));
        Assert.Equal(0, figures.Lookup("risk_declines[fraud]"));
        Assert.Equal(0, figures.Lookup("risk_declines[not_permitted]"));
        Assert.True(ClaimMetrics.Judge("r", "risk_declines[velocity] >= 1", figures.Lookup).Pass);
        Assert.False(ClaimMetrics.Judge("r", "risk_declines == 0", figures.Lookup).Pass);
    }

    [Fact]
    public void NoRiskDeclines_AreZeroNotMissing()
    {
        var figures = Compute(new FigureRun { Summary = new RunSummary() });

        Assert.Equal(0, figures.Lookup("risk_declines"));
        Assert.All(RiskCauses.All, c => Assert.Equal(0, figures.Lookup($"risk_declines[{c}]")));
    }

    [Fact]
    public void TheSummarySection_HasEveryCause_AndIsWhatShardsAddUp()
    {
        var json = RiskCauses.ToJson(new Dictionary<string, long> { ["velocity"] = 4, ["not_permitted"] = 1 });

        Assert.Equal(5, json["total"]!.GetValue<long>());
        Assert.Equal(
            """{"velocity":4,"limit":0,"fraud":0,"not_permitted":1}""",
            json["byCause"]!.ToJsonString());
        Assert.Equal(FigureMergeKind.Recompute, FigureCatalog.Owner("risk_declines[velocity]")!.Merge.Kind);
    }

    [Theory]
    [InlineData("65", "velocity")]
    [InlineData("61", "limit")]
    [InlineData("59", "fraud")]
    [InlineData("57", "not_permitted")]
    [InlineData("51", null)]
    [InlineData("05", null)]
    [InlineData(null, null)]
    public void IssuerCodes_MapToTheirCause(string? code, string? cause) =>
        Assert.Equal(cause, RiskCauses.OfIssuerCode(code));

    private static RunFigures Compute(FigureRun run)
    {
        var figures = new RunFigures(run.Summary);
        FigureCatalog.Owner(ClaimMetrics.RiskDeclines)!.Compute(run, figures);
        return figures;
    }
}

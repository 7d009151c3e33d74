using PaySim.LoadEngine;
using PaySim.LoadTests.Reporting;

namespace PaySim.LoadTests.Tests.Reporting;

/// <summary>A run in which no iteration ran after the warm-up gives no verdict (exit 3), never a pass over nothing.</summary>
public sealed class NoIterationRanTests
{
    [Fact]
    public void ARunWithNoIteration_HasANoVerdictReason_AndIsNeverAPass()
    {
        var summary = new RunSummary { DurationS = 3 };
        summary.Scenarios.Add(new ScenarioSummary { Name = "payment", Dropped = 182 });
        summary.AddClaim(new ClaimResult { Name = "excess_charges == 0", Expression = "excess_charges == 0", Pass = true });

        var reason = NotAsWritten.NoIterationRan(summary);
        summary.AbortReason = reason;

        Assert.Equal("the plan did not run as written: no iteration ran after the warm-up of the 3s run (182 dropped); claims cannot judge a run that sent no load", reason);
        Assert.True(NotAsWritten.Is(summary));
        Assert.False(summary.Passed);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(0, 1)]
    public void ARunWithAnyIteration_HasNone(long ok, long fail)
    {
        var summary = new RunSummary { DurationS = 3 };
        summary.Scenarios.Add(new ScenarioSummary { Name = "payment", Ok = ok, Fail = fail, Dropped = 500 });

        Assert.Null(NotAsWritten.NoIterationRan(summary));
    }

}

using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Running;

namespace PaySim.LoadTests.Tests.Running;

/// <summary>Dropped iterations (load asked for and never sent) warn above 1% of the planned ones; the verdict stays the claims'.</summary>
public sealed class DroppedIterationsTests
{
    [Fact]
    public void ARunThatDroppedMostOfItsLoad_Warns_WithTheCountShareRatesAndTheClaimToAdd()
    {
        // The audit's run: maxConcurrency 1, rate 100, 4 s → ok 118, dropped 182.
        var summary = new RunSummary { DurationS = 4 };
        summary.Scenarios.Add(new ScenarioSummary { Name = "payment", Ok = 118, Dropped = 182, DurationS = 3 });

        var warning = Assert.Single(DroppedIterations.Warnings(summary, []));

        Assert.Equal(
            "dropped iterations: scenario payment dropped 182 of 300 planned iterations (60.7%) and never sent them: asked about 100/s, achieved 39.33/s; its maxConcurrency was reached. The verdict does not count them: add the claim \"dropped == 0\" (or \"scenario:payment dropped == 0\") to fail such a run, or raise maxConcurrency.",
            warning);
        Assert.True(summary.Passed);
    }

    [Theory]
    [InlineData(1000, 0)]
    [InlineData(990, 10)]
    public void AtMostOnePercentDropped_DoesNotWarn(long ok, long dropped)
    {
        var summary = new RunSummary { DurationS = 10 };
        summary.Scenarios.Add(new ScenarioSummary { Name = "payment", Ok = ok, Dropped = dropped, DurationS = 10 });

        Assert.Empty(DroppedIterations.Warnings(summary, []));
    }

    [Fact]
    public void TheWarning_NamesTheScenariosMaxConcurrency_AndItsSuggestedClaimsCompile()
    {
        var plan = PlanCompiler.Compile("""{ "rate": 100, "scenarios": [ { "name": "payment", "maxConcurrency": 2 } ], "claims": [ "dropped == 0", "scenario:payment dropped == 0" ] }""", "d.json");
        var summary = new RunSummary { DurationS = 4 };
        summary.Scenarios.Add(new ScenarioSummary { Name = "payment", Ok = 50, Fail = 10, Dropped = 40, DurationS = 4 });

        var warning = Assert.Single(DroppedIterations.Warnings(summary, plan.Scenarios));

        Assert.Contains("dropped 40 of 100 planned iterations (40%)", warning, StringComparison.Ordinal);
        Assert.Contains("asked 100/s, achieved 15/s; its maxConcurrency (2) was reached", warning, StringComparison.Ordinal);
        Assert.Equal(2, plan.Claims.Count);
        Assert.StartsWith(DroppedIterations.WarningStart, warning, StringComparison.Ordinal);
        Assert.DoesNotContain(GeneratorLag.WarningStart, warning, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAskedRate_IsThePlansRate_NotPlannedOverMeasuredSeconds()
    {
        // The audit's run: a plan asking 100/s whose 299 planned iterations over a 2.997 s window read 99.77/s.
        var plan = PlanCompiler.Compile("""{ "rate": 100, "scenarios": [ { "name": "payment", "maxConcurrency": 1 } ] }""", "d.json");
        var summary = new RunSummary { DurationS = 3 };
        summary.Scenarios.Add(new ScenarioSummary { Name = "payment", Ok = 117, Dropped = 182, DurationS = 2.997 });

        var known = Assert.Single(DroppedIterations.Warnings(summary, plan.Scenarios));
        var unknown = Assert.Single(DroppedIterations.Warnings(summary, []));

        Assert.Contains(": asked 100/s, achieved 39.04/s;", known, StringComparison.Ordinal);
        Assert.Contains(": asked about 99.77/s, achieved 39.04/s;", unknown, StringComparison.Ordinal);
    }
}

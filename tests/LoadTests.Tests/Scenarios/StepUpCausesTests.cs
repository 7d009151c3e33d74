using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Scenarios;

namespace PaySim.LoadTests.Tests.Scenarios;

/// <summary>How a step-up payment's end is named in step_up_failures[cause], and what the figures make of the counts.</summary>
public sealed class StepUpCausesTests
{
    [Theory]
    [InlineData(201, null, "authenticated")]
    [InlineData(200, null, "authenticated")]
    [InlineData(402, "otp_wrong", "otp_wrong")]
    [InlineData(410, "challenge_expired", "challenge_expired")]
    [InlineData(402, "otp_attempts_exceeded", "otp_attempts_exceeded")]
    [InlineData(503, "issuer_unavailable", "issuer_unavailable")]
    [InlineData(0, "timeout", "timeout")]
    [InlineData(0, "connection_failed", "connection_failed")]
    [InlineData(0, null, "no_reply")]
    [InlineData(500, null, "http_500")]
    [InlineData(418, "", "http_418")]
    public void Classify_NamesTheCauseByTheWalletCodeAsBindingFailuresDo(int status, string? code, string expected) =>
        Assert.Equal(expected, StepUpCauses.Classify(status, code));

    [Fact]
    public void Figures_SuccessRateAndFailuresByCause_ComeFromTheStepUpOutcomes_AndACauseThatNeverHappenedIsZero()
    {
        var run = new FigureRun
        {
            Summary = new RunSummary(),
            StepUpOutcomes = new Dictionary<string, long>
            {
                [StepUpCauses.Authenticated] = 97,
                [StepUpCauses.SmsTimeout] = 2,
                ["otp_wrong"] = 1,
            },
        };
        var figures = new RunFigures(run.Summary);
        foreach (var figure in FigureCatalog.All)
        {
            figure.Compute(run, figures);
        }

        Assert.Equal(0.97, figures.Lookup(ClaimMetrics.StepUpSuccessRate)!.Value, 9);
        Assert.Equal(3, figures.Lookup(ClaimMetrics.StepUpFailures));
        Assert.Equal(2, figures.Lookup("step_up_failures[sms_timeout]"));
        Assert.Equal(1, figures.Lookup("step_up_failures[otp_wrong]"));
        Assert.Equal(0, figures.Lookup("step_up_failures[issuer_unavailable]"));
        Assert.Equal(StepUpCauses.Authenticated, FigureRun.AuthenticatedOutcome);
    }

    [Fact]
    public void Figures_WithoutStepUps_HaveNoSuccessRate()
    {
        var run = new FigureRun { Summary = new RunSummary() };
        var figures = new RunFigures(run.Summary);
        foreach (var figure in FigureCatalog.All)
        {
            figure.Compute(run, figures);
        }

        // Nothing to count: "step_up_failures == 0" fails with no value instead of passing for a run without step-ups.
        Assert.Null(figures.Lookup(ClaimMetrics.StepUpSuccessRate));
        Assert.Null(figures.Lookup(ClaimMetrics.StepUpFailures));
        Assert.Null(figures.Lookup("step_up_failures[sms_timeout]"));
    }
}

using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;

namespace PaySim.LoadTests.Tests.Claims;

/// <summary>password_reset_success_rate and password_reset_failures[cause], and [!cause] ("every other cause") on cause-keyed figures.</summary>
public sealed class PasswordResetFigureTests
{
    [Fact]
    public void Figures_CountResetsAndFailuresByCause_FromTheOutcomes()
    {
        var figures = Compute(new Dictionary<string, long> { ["reset"] = 6, ["sms_timeout"] = 3, ["reset_code_invalid"] = 1 });

        Assert.Equal(0.6, figures.Lookup(ClaimMetrics.PasswordResetSuccessRate)!.Value, 9);
        Assert.Equal(4, figures.Lookup("password_reset_failures"));
        Assert.Equal(3, figures.Lookup("password_reset_failures[sms_timeout]"));
        Assert.Equal(1, figures.Lookup("password_reset_failures[reset_code_invalid]"));
        Assert.Equal(0, figures.Lookup("password_reset_failures[old_session_alive]"));
        Assert.Equal(1, figures.Lookup("password_reset_failures[!sms_timeout]"));
        Assert.Equal(3, figures.Lookup("password_reset_failures[!reset_code_invalid]"));
        Assert.Equal(4, figures.Lookup("password_reset_failures[!old_session_alive]"));
    }

    [Fact]
    public void NoReset_LeavesEveryResetFigureWithoutAValue_SoAClaimOnItFails()
    {
        var figures = Compute(new Dictionary<string, long>());

        Assert.Null(figures.Lookup(ClaimMetrics.PasswordResetSuccessRate));
        Assert.Null(figures.Lookup("password_reset_failures"));
        Assert.Null(figures.Lookup("password_reset_failures[sms_timeout]"));
        Assert.Null(figures.Lookup("password_reset_failures[!sms_timeout]"));
        Assert.False(ClaimMetrics.Judge("c", "password_reset_failures[!sms_timeout] == 0", figures.Lookup).Pass);
    }

    [Fact]
    public void OnlySmsTimeouts_PassTheSmsOutageClaims_AndAnyOtherCauseFailsThem()
    {
        var onlySms = Compute(new Dictionary<string, long> { ["reset"] = 5, ["sms_timeout"] = 2 });
        var alsoWrongCode = Compute(new Dictionary<string, long> { ["reset"] = 5, ["sms_timeout"] = 2, ["reset_code_invalid"] = 1 });

        Assert.True(ClaimMetrics.Judge("c", "password_reset_failures[sms_timeout] >= 1", onlySms.Lookup).Pass);
        Assert.True(ClaimMetrics.Judge("c", "password_reset_failures[!sms_timeout] == 0", onlySms.Lookup).Pass);
        var failed = ClaimMetrics.Judge("c", "password_reset_failures[!sms_timeout] == 0", alsoWrongCode.Lookup);
        Assert.False(failed.Pass);
        Assert.Equal(1, failed.Observed);
    }

    [Fact]
    public void BindFailures_TakeTheSameEveryOtherCauseKey()
    {
        var figures = new RunFigures(new RunSummary())
            .Set(ClaimMetrics.BindFailures, 5)
            .Set($"{ClaimMetrics.BindFailures}[sms_timeout]", 4)
            .Set($"{ClaimMetrics.BindFailures}[phone_mismatch]", 1);

        Assert.Equal(1, figures.Lookup("bind_failures[!sms_timeout]"));
        Assert.Equal(5, figures.Lookup("bind_failures[!issuer_unavailable]"));
        // Only cause-keyed counts take it: a node share has no "every other node".
        Assert.Null(figures.Lookup("issuer_node_share[!issuer-1]"));
    }

    private static RunFigures Compute(IReadOnlyDictionary<string, long> outcomes)
    {
        var run = new FigureRun { Summary = new RunSummary(), ResetOutcomes = outcomes };
        var figures = new RunFigures(run.Summary);
        foreach (var figure in FigureCatalog.All.Where(f => f.Name.StartsWith("password_reset", StringComparison.Ordinal)))
        {
            figure.Compute(run, figures);
        }

        return figures;
    }
}

using System.Reflection;
using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;

namespace PaySim.LoadTests.Tests.Claims;

/// <summary>
/// Each run figure is declared once (<see cref="FigureCatalog"/>): a figure without a merge rule would make a
/// merged run report shard 1's value as if it were the run's, so every figure must say how shards merge it.
/// </summary>
public sealed class FigureCatalogTests
{
    [Fact]
    public void EveryFigure_HasAUniqueNameADescriptionAndAMergeRule()
    {
        foreach (var figure in FigureCatalog.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(figure.Description), $"{figure.Name}: no description");
            Assert.True(figure.Merge is not null, $"{figure.Name}: no merge rule (say how shards merge it: FigureMerge.Recompute, Sum, Global, UpperBound, Scaled or NotMergeable)");
            Assert.True(Enum.IsDefined(figure.Merge!.Kind), $"{figure.Name}: unknown merge kind {figure.Merge.Kind}");
        }

        Assert.Equal(FigureCatalog.All.Count, FigureCatalog.All.Select(f => f.Name).Distinct().Count());
    }

    [Fact]
    public void EveryRunWideClaimMetric_IsAFigureOfTheCatalog()
    {
        // Every name declared in ClaimMetrics is a run-wide figure: a new constant without a figure (and so without a merge rule) fails here.
        var names = typeof(ClaimMetrics).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();

        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.True(FigureCatalog.Owner(name)?.Name == name, $"{name}: declared in ClaimMetrics but not a figure in FigureCatalog"));
        Assert.Equal(FigureCatalog.All.Select(f => f.Name).Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        Assert.Equal(FigureCatalog.All.Select(f => f.Name), ClaimMetrics.RunWide.Keys);
    }

    [Fact]
    public void EveryFigure_SaysItsUnit_AsItsNameDoes()
    {
        // A claim is checked against its figure's unit: a share left a Count would refuse "success_rate >= 99%".
        foreach (var figure in FigureCatalog.All)
        {
            var expected = figure.Name switch
            {
                var n when n.EndsWith("_rate", StringComparison.Ordinal) || n.EndsWith("_share", StringComparison.Ordinal) => FigureUnit.Share,
                var n when n.EndsWith("_ms", StringComparison.Ordinal) => FigureUnit.Milliseconds,
                var n when n.EndsWith("_fairness", StringComparison.Ordinal) => FigureUnit.Fraction,
                ClaimMetrics.MoneyConserved => FigureUnit.Flag,
                _ => figure.Unit,
            };
            Assert.True(expected == figure.Unit, $"{figure.Name}: unit {figure.Unit}, its name says {expected}");
        }
    }

    [Fact]
    public void AFigureWithAnotherName_IsTheSameKindOfNumber_AndItsOtherNameIsAFigure()
    {
        foreach (var figure in FigureCatalog.All.Where(f => f.SameAs is not null))
        {
            var same = FigureCatalog.All.Single(f => f.Name == figure.SameAs);
            Assert.Equal(same.Unit, figure.Unit);
            Assert.Null(same.SameAs);
        }
    }

    [Fact]
    public void ARunThatBoundNothing_HasNoBindingFigures_SoAClaimOnThemFailsWithNoValue()
    {
        // A payment-only run: "bind_failures == 0" must not pass for bindings that never happened.
        var run = new FigureRun { Summary = new RunSummary(), Resends = 0, BoundAfterResend = 0 };
        var figures = new RunFigures(run.Summary);
        foreach (var figure in FigureCatalog.All)
        {
            figure.Compute(run, figures);
        }

        foreach (var key in new[] { "bind_failures", "bind_failures[sms_timeout]", "bind_failures[!sms_timeout]", "bind_resends", "bind_bound_after_resend", "bind_success_rate", "step_up_failures", "password_reset_failures" })
        {
            Assert.True(figures.Lookup(key) is null, $"{key}: {figures.Lookup(key)} for a run that bound nothing");
        }

        var judged = ClaimMetrics.Judge("c", "bind_failures == 0", figures.Lookup);
        Assert.False(judged.Pass);
        Assert.Null(judged.Observed);

        // One binding, bound: the figures are measured, and zero.
        var bound = new FigureRun { Summary = new RunSummary(), BindOutcomes = new Dictionary<string, long> { [FigureRun.BoundOutcome] = 1 } };
        var measured = new RunFigures(bound.Summary);
        foreach (var figure in FigureCatalog.All)
        {
            figure.Compute(bound, measured);
        }

        Assert.Equal(0, measured.Lookup("bind_failures"));
        Assert.Equal(0, measured.Lookup("bind_failures[sms_timeout]"));
        Assert.Equal(0, measured.Lookup("bind_resends"));
    }

    [Fact]
    public void Owner_MatchesTheNameAndItsKeyedValues_NotALongerName()
    {
        Assert.Equal(ClaimMetrics.BindFailures, FigureCatalog.Owner("bind_failures[phone_mismatch]")!.Name);
        Assert.Equal(ClaimMetrics.FaultP99Ms, FigureCatalog.Owner("fault_p99_ms[2]")!.Name);
        Assert.Equal(ClaimMetrics.IssuerJain, FigureCatalog.Owner("issuer_jain_fairness")!.Name);
        Assert.Equal(ClaimMetrics.Jain, FigureCatalog.Owner("jain_fairness")!.Name);
        Assert.Null(FigureCatalog.Owner("success_rate_x"));
    }
}

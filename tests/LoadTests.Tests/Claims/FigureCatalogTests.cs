using System.Reflection;
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
    public void Owner_MatchesTheNameAndItsKeyedValues_NotALongerName()
    {
        Assert.Equal(ClaimMetrics.BindFailures, FigureCatalog.Owner("bind_failures[phone_mismatch]")!.Name);
        Assert.Equal(ClaimMetrics.FaultP99Ms, FigureCatalog.Owner("fault_p99_ms[2]")!.Name);
        Assert.Equal(ClaimMetrics.IssuerJain, FigureCatalog.Owner("issuer_jain_fairness")!.Name);
        Assert.Equal(ClaimMetrics.Jain, FigureCatalog.Owner("jain_fairness")!.Name);
        Assert.Null(FigureCatalog.Owner("success_rate_x"));
    }
}

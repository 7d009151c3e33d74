using PaySim.LoadEngine;

namespace PaySim.LoadTests.Plans;

/// <summary>A claim as written in the plan and its parsed form (the engine's threshold grammar).</summary>
internal sealed record Claim(string Text, Expression Expression)
{
    public string Name => Expression.ScopeKind is null ? Expression.Metric : $"{Expression.ScopeKind}:{Expression.ScopeName} {Expression.Metric}";
}

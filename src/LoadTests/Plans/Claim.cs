using PaySim.LoadEngine;

namespace PaySim.LoadTests.Plans;

/// <summary>
/// A claim as written in the plan and its parsed form (the engine's threshold grammar). With <see cref="AbortOnFail"/>
/// it is also checked once a second while the load runs, from <see cref="AbortDelay"/> after the warm-up, and stops the
/// run the first time it fails (k6's <c>abortOnFail</c> / <c>delayAbortEval</c>).
/// </summary>
internal sealed record Claim(string Text, Expression Expression, bool AbortOnFail = false, TimeSpan AbortDelay = default)
{
    public string Name => Expression.ScopeKind is null ? Expression.Metric : $"{Expression.ScopeKind}:{Expression.ScopeName} {Expression.Metric}";
}

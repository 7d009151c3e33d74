using PaySim.LoadEngine;
using PaySim.LoadTests.Plans.Documents;

namespace PaySim.LoadTests.Plans;

/// <summary>The plan's <c>capacity.objectives</c>: what each step of a stepped rate must meet for the knee (knee_rps).</summary>
internal static class CapacityCompiler
{
    public static readonly IReadOnlyList<string> CapacityMetrics = ["p99", "p50", "ok_rate", "fail_rate", "rps"];

    public static List<Expression> Compile(PlanCapacityDocument? capacity, string p)
    {
        var objectives = new List<Expression>();
        for (var i = 0; i < (capacity?.Objectives?.Count ?? 0); i++)
        {
            var field = $"{p} capacity.objectives[{i}]";
            if (!Expression.TryParse(capacity!.Objectives![i], out var expression, out var error))
            {
                throw new PlanException($"{field}: {error}");
            }

            if (expression.ScopeKind is not null || !CapacityMetrics.Contains(expression.Metric))
            {
                throw new PlanException($"{field}: \"{expression.Text}\" must judge one of {KnownNames.List(CapacityMetrics)} per step.");
            }

            objectives.Add(expression);
        }

        if (capacity is not null && objectives.Count == 0)
        {
            throw new PlanException($"{p} capacity.objectives: at least one objective is required, e.g. \"p99 < 300ms\".");
        }

        return objectives;
    }
}

using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Steps;

namespace PaySim.LoadTests.Plans;

/// <summary>The plan's <c>claims</c>: each parsed in the load engine's threshold grammar and checked against what the run measures (<see cref="ClaimMetrics"/>).</summary>
internal static class ClaimCompiler
{
    /// <param name="faultWindows">The plan's fault windows (its faults, then its nodeEvents): what <c>fault_p99_ms[N]</c> may name.</param>
    public static List<Claim> Compile(IReadOnlyList<string?>? texts, string p, IReadOnlyCollection<string> scenarioNames, int faultWindows = int.MaxValue)
    {
        var claims = new List<Claim>();
        for (var i = 0; i < (texts?.Count ?? 0); i++)
        {
            var field = $"{p} claims[{i}]";
            var text = texts![i];
            if (!Expression.TryParse(ClaimMetrics.Normalise(text ?? string.Empty), out var expression, out var error))
            {
                throw new PlanException($"{field}: {error}");
            }

            Validate(expression, field, scenarioNames);
            CheckReachable(expression, field, faultWindows);
            claims.Add(new Claim(text!.Trim(), expression));
        }

        return claims;
    }

    /// <summary>Throws a <see cref="PlanException"/> when the claim names a metric or scope nobody measures.</summary>
    private static void Validate(Expression expression, string field, IReadOnlyCollection<string> scenarioNames)
    {
        if (expression.ScopeKind is null)
        {
            var bare = BareMetric(expression.Metric);
            if (!ClaimMetrics.RunWide.ContainsKey(bare))
            {
                throw new PlanException(
                    $"{field}: unknown metric \"{bare}\" in \"{expression.Text}\"; allowed: {KnownNames.List(ClaimMetrics.RunWide.Keys)}, or step:<name>/scenario:<name> with {KnownNames.List(ClaimMetrics.StatNames)}.");
            }

            // risk_declines[cause]: a cause nobody counts would read 0 and pass a claim like "== 0" for nothing.
            if (bare == ClaimMetrics.RiskDeclines && expression.Metric.Length > bare.Length
                && expression.Metric[(bare.Length + 1)..].TrimEnd(']') is var cause && !RiskCauses.All.Contains(cause))
            {
                throw new PlanException($"{field}: unknown risk decline cause \"{cause}\" in \"{expression.Text}\"; allowed: {KnownNames.List(RiskCauses.All)}.");
            }

            return;
        }

        if (!ClaimMetrics.ScopeKinds.Contains(expression.ScopeKind))
        {
            throw new PlanException($"{field}: unknown scope \"{expression.ScopeKind}:\" in \"{expression.Text}\"; allowed: step:<name>, scenario:<name>.");
        }

        if (!ClaimMetrics.IsStatName(expression.Metric))
        {
            throw new PlanException($"{field}: unknown statistic \"{expression.Metric}\" in \"{expression.Text}\"; allowed: {KnownNames.List(ClaimMetrics.StatNames)} (any pNN).");
        }

        try
        {
            // The engine's own threshold check knows each statistic's unit (a percentile wants a time, a rate a percent).
            Threshold.Create(expression.ScopeKind == "step" ? expression.Text : $"{expression.Metric} {OperatorText(expression.Operator)} {expression.ValueText}");
        }
        catch (LoadConfigException ex)
        {
            throw new PlanException($"{field}: {ex.Message}");
        }

        var names = expression.ScopeKind == "step" ? StepNames.All : (IEnumerable<string>)scenarioNames;
        if (!names.Contains(expression.ScopeName))
        {
            throw new PlanException($"{field}: unknown {expression.ScopeKind} \"{expression.ScopeName}\" in \"{expression.Text}\"; allowed: {KnownNames.List(names)}.");
        }
    }

    /// <summary>
    /// A claim no run could ever judge sensibly is refused, not left to pass or fail for nothing: a threshold that is not
    /// a finite number, a share above 100%, a fault window the plan does not have.
    /// </summary>
    private static void CheckReachable(Expression expression, string field, int faultWindows)
    {
        if (!double.IsFinite(expression.Value))
        {
            throw new PlanException($"{field}: {expression.ValueText} in \"{expression.Text}\" is not a finite number.");
        }

        if (expression.Unit == ExpressionUnit.Percent && expression.Value > 1)
        {
            throw new PlanException($"{field}: {expression.ValueText} in \"{expression.Text}\" is more than 100%; a share is 0% to 100%.");
        }

        if (expression.ScopeKind is null && BareMetric(expression.Metric) == ClaimMetrics.FaultP99Ms && expression.Metric.Length > ClaimMetrics.FaultP99Ms.Length)
        {
            var index = expression.Metric[(ClaimMetrics.FaultP99Ms.Length + 1)..].TrimEnd(']');
            if (!int.TryParse(index, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1 || n > faultWindows)
            {
                throw new PlanException(faultWindows == 0
                    ? $"{field}: \"{expression.Text}\" names fault window {index}, but the plan has no faults or nodeEvents."
                    : $"{field}: \"{expression.Text}\" names fault window {index}; the plan's windows are 1..{faultWindows} (its faults, then its nodeEvents, in order).");
            }
        }
    }

    private static string OperatorText(ComparisonOperator op) => op switch
    {
        ComparisonOperator.LessThan => "<",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.GreaterThan => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.Equal => "==",
        _ => "!=",
    };

    private static string BareMetric(string metric)
    {
        var bracket = metric.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0 ? metric : metric[..bracket];
    }
}

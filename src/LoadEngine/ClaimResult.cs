namespace PaySim.LoadEngine;

/// <summary>One judged rule: an engine threshold or a caller's claim. One junit test case each.</summary>
public sealed class ClaimResult
{
    public string Name { get; set; } = string.Empty;

    public string Expression { get; set; } = string.Empty;

    /// <summary>The observed value in the expression's base unit (ms for durations, fraction for %); null if not measured.</summary>
    public double? Observed { get; set; }

    /// <summary>The observed value formatted like the expression ("99.7%", "231ms").</summary>
    public string ObservedText { get; set; } = string.Empty;

    public bool Pass { get; set; }

    /// <summary>The scenario a threshold belongs to; null for run-level claims.</summary>
    public string? Scenario { get; set; }

    public string? Message { get; set; }

    /// <summary>Parses <paramref name="expression"/> (throws <see cref="LoadConfigException"/> if malformed) and evaluates it over <paramref name="lookup"/>.</summary>
    public static ClaimResult Evaluate(string name, string expression, Func<string, double?> lookup, string? scenario = null)
    {
        var parsed = PaySim.LoadEngine.Expression.Parse(expression);
        return FromResult(name, parsed, parsed.Evaluate(lookup), scenario);
    }

    public static ClaimResult FromResult(string name, Expression expression, ExpressionResult result, string? scenario = null) => new()
    {
        Name = name,
        Expression = expression.Text,
        Observed = result.Observed,
        ObservedText = result.ObservedText,
        Pass = result.Pass,
        Scenario = scenario,
        Message = result.Message,
    };
}

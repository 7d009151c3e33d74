using System.Globalization;
using System.Text.RegularExpressions;

namespace PaySim.LoadEngine;

/// <summary>
/// A comparison such as <c>p99 &lt; 250ms</c>, <c>ok_rate &gt;= 99.5%</c> or <c>step:confirm p95 &lt;= 300ms</c>.
/// Grammar: <c>[&lt;scope&gt;:&lt;name&gt; ]&lt;metric&gt; &lt;op&gt; &lt;number&gt;[unit]</c>;
/// op is one of <c>&lt; &lt;= &gt; &gt;= == !=</c>; unit is one of <c>us ms s m h</c> (normalised to milliseconds),
/// <c>%</c> (normalised to a fraction: 99.5% = 0.995) or none; a trailing <c>/s</c> is allowed for readability.
/// Metric names are letters, digits, '_' and '.', optionally followed by <c>[KEY]</c> (e.g. <c>status[UNAVAILABLE]</c>).
/// The scope name may be quoted ("step:\"pay card\" p99 &lt; 1s").
/// Generic: anyone can evaluate it over their own named values with <see cref="Evaluate"/>.
/// </summary>
public sealed partial class Expression
{
    public const string Grammar =
        "expected \"[step:<name>] <metric> <op> <number>[unit]\" with op one of < <= > >= == != and unit one of us ms s m h % (or none)";

    private Expression(string text, string? scopeKind, string? scopeName, string metric, ComparisonOperator op, double value, ExpressionUnit unit, string valueText)
    {
        Text = text;
        ScopeKind = scopeKind;
        ScopeName = scopeName;
        Metric = metric;
        Operator = op;
        Value = value;
        Unit = unit;
        ValueText = valueText;
    }

    /// <summary>The expression as written (trimmed).</summary>
    public string Text { get; }

    /// <summary>"step" in <c>step:confirm p95 &lt; 300ms</c>; null when unscoped.</summary>
    public string? ScopeKind { get; }

    /// <summary>"confirm" in <c>step:confirm p95 &lt; 300ms</c>; null when unscoped.</summary>
    public string? ScopeName { get; }

    /// <summary>Lower-cased metric name, e.g. "p99.9", "ok_rate", "status[unavailable]" keeps the key's case: "status[UNAVAILABLE]".</summary>
    public string Metric { get; }

    public ComparisonOperator Operator { get; }

    /// <summary>Normalised right-hand side: milliseconds for durations, a fraction for percents.</summary>
    public double Value { get; }

    public ExpressionUnit Unit { get; }

    /// <summary>The right-hand side as written ("250ms", "99.5%").</summary>
    public string ValueText { get; }

    /// <summary>The name passed to the lookup: the metric, or "&lt;kind&gt;:&lt;name&gt;/&lt;metric&gt;" when scoped.</summary>
    public string Key => ScopeKind is null ? Metric : $"{ScopeKind}:{ScopeName}/{Metric}";

    /// <summary>
    /// Whether <paramref name="metric"/> is a latency in the engine's grammar (a percentile such as p99 or p99.9, mean,
    /// max, min, stddev), which open-model runs measure from each iteration's intended start.
    /// </summary>
    public static bool IsLatencyMetric(string metric) => Running.ThresholdMetrics.KindOf(metric) == Running.ThresholdMetrics.Kind.Duration;

    public static Expression Parse(string text)
    {
        if (!TryParse(text, out var expression, out var error))
        {
            throw new LoadConfigException(error);
        }

        return expression;
    }

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Expression? expression, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        expression = null;
        var trimmed = (text ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            error = $"invalid expression \"\": it is empty; {Grammar}.";
            return false;
        }

        var match = Shape().Match(trimmed);
        if (!match.Success)
        {
            error = $"invalid expression \"{trimmed}\": {Diagnose(trimmed)}; {Grammar}.";
            return false;
        }

        var op = match.Groups["op"].Value switch
        {
            "<" => ComparisonOperator.LessThan,
            "<=" => ComparisonOperator.LessOrEqual,
            ">" => ComparisonOperator.GreaterThan,
            ">=" => ComparisonOperator.GreaterOrEqual,
            "==" or "=" => ComparisonOperator.Equal,
            _ => ComparisonOperator.NotEqual,
        };

        var number = double.Parse(match.Groups["num"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var unitText = match.Groups["unit"].Value;
        (double factor, ExpressionUnit unit) = unitText switch
        {
            "" => (1d, ExpressionUnit.None),
            "%" => (0.01, ExpressionUnit.Percent),
            "us" or "µs" => (0.001, ExpressionUnit.Duration),
            "ms" => (1d, ExpressionUnit.Duration),
            "s" => (1000d, ExpressionUnit.Duration),
            "m" or "min" => (60_000d, ExpressionUnit.Duration),
            "h" => (3_600_000d, ExpressionUnit.Duration),
            _ => (double.NaN, ExpressionUnit.None),
        };

        if (double.IsNaN(factor))
        {
            error = $"invalid expression \"{trimmed}\": unknown unit \"{unitText}\"; {Grammar}.";
            return false;
        }

        // A latency under 0 or a share under 0% is never observed: "p99 < -1s" would always fail, ">= -5%" always pass.
        if (number < 0 && unit != ExpressionUnit.None)
        {
            error = $"invalid expression \"{trimmed}\": {match.Groups["num"].Value}{unitText} is negative; a {(unit == ExpressionUnit.Duration ? "duration" : "percentage")} threshold must be >= 0.";
            return false;
        }

        string? scopeKind = match.Groups["kind"].Success ? match.Groups["kind"].Value.ToLowerInvariant() : null;
        string? scopeName = null;
        if (scopeKind is not null)
        {
            scopeName = match.Groups["qname"].Success ? match.Groups["qname"].Value : match.Groups["name"].Value;
        }

        var metric = match.Groups["metric"].Value.ToLowerInvariant() + match.Groups["key"].Value;
        expression = new Expression(trimmed, scopeKind, scopeName, metric, op, number * factor, unit, match.Groups["num"].Value + unitText);
        error = null;
        return true;
    }

    /// <summary>
    /// Looks up <see cref="Key"/> and compares. A missing value (null, NaN) fails with a message rather
    /// than passing silently: a claim about a number nobody measured has not been shown to hold.
    /// </summary>
    public ExpressionResult Evaluate(Func<string, double?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var observed = lookup(Key);
        if (observed is null || double.IsNaN(observed.Value))
        {
            return new ExpressionResult(false, null, "n/a", $"no value for \"{Key}\"");
        }

        return new ExpressionResult(Compare(observed.Value), observed, FormatObserved(observed.Value), null);
    }

    public bool Compare(double observed) => Operator switch
    {
        ComparisonOperator.LessThan => observed < Value,
        ComparisonOperator.LessOrEqual => observed <= Value,
        ComparisonOperator.GreaterThan => observed > Value,
        ComparisonOperator.GreaterOrEqual => observed >= Value,
        ComparisonOperator.Equal => Math.Abs(observed - Value) <= 1e-9 * Math.Max(1, Math.Abs(Value)),
        _ => Math.Abs(observed - Value) > 1e-9 * Math.Max(1, Math.Abs(Value)),
    };

    /// <summary>Formats an observed value in the unit the expression was written in.</summary>
    public string FormatObserved(double observed) => Unit switch
    {
        ExpressionUnit.Percent => (observed * 100).ToString("0.###", CultureInfo.InvariantCulture) + "%",
        ExpressionUnit.Duration => observed.ToString("0.###", CultureInfo.InvariantCulture) + "ms",
        _ => observed.ToString("0.####", CultureInfo.InvariantCulture),
    };

    public override string ToString() => Text;

    private static string Diagnose(string text)
    {
        if (!OperatorAnywhere().IsMatch(text))
        {
            return "no comparison operator";
        }

        var op = OperatorAnywhere().Match(text);
        var left = text[..op.Index].Trim();
        var right = text[(op.Index + op.Length)..].Trim();
        if (right.Length > 0 && right[0] is '<' or '>' or '=' or '!')
        {
            // "=>", "=<", "<>", "!==": an operator the grammar does not have, not a number that went wrong.
            return $"\"{op.Value}{right[0]}\" is not an operator";
        }

        if (left.Length == 0)
        {
            return "no metric before the operator";
        }

        if (right.Length == 0)
        {
            return "no number after the operator";
        }

        if (!NumberStart().IsMatch(right))
        {
            return $"\"{right}\" is not a number";
        }

        if (!Lhs().IsMatch(left))
        {
            return $"\"{left}\" is not a metric name (letters, digits, _ and ., optional [KEY], optional step:<name> prefix)";
        }

        return $"cannot read \"{right}\" as <number>[unit]";
    }

    [GeneratedRegex("""^(?:(?<kind>[A-Za-z_][A-Za-z0-9_]*):(?:"(?<qname>[^"]+)"|(?<name>[^\s"]+))\s+)?(?<metric>[A-Za-z_][A-Za-z0-9_.]*)(?<key>\[[^\]\s]+\])?\s*(?<op><=|>=|==|!=|<|>|=)\s*(?<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(?<unit>[A-Za-zµ%]*)(?:/s)?$""", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    [GeneratedRegex("<=|>=|==|!=|<|>|=", RegexOptions.CultureInvariant)]
    private static partial Regex OperatorAnywhere();

    [GeneratedRegex("^[-+]?(?:\\d|\\.\\d)", RegexOptions.CultureInvariant)]
    private static partial Regex NumberStart();

    [GeneratedRegex("""^(?:[A-Za-z_][A-Za-z0-9_]*:(?:"[^"]+"|[^\s"]+)\s+)?[A-Za-z_][A-Za-z0-9_.]*(?:\[[^\]\s]+\])?$""", RegexOptions.CultureInvariant)]
    private static partial Regex Lhs();
}

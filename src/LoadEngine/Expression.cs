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
        (decimal? factor, ExpressionUnit unit) = unitText switch
        {
            "" => (1m, ExpressionUnit.None),
            "%" => (0.01m, ExpressionUnit.Percent),
            "us" or "µs" => (0.001m, ExpressionUnit.Duration),
            "ms" => (1m, ExpressionUnit.Duration),
            "s" => (1000m, ExpressionUnit.Duration),
            "m" or "min" => (60_000m, ExpressionUnit.Duration),
            "h" => (3_600_000m, ExpressionUnit.Duration),
            _ => ((decimal?)null, ExpressionUnit.None),
        };

        if (factor is null)
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
        expression = new Expression(trimmed, scopeKind, scopeName, metric, op, Scale(match.Groups["num"].Value, number, factor.Value), unit, match.Groups["num"].Value + unitText);
        error = null;
        return true;
    }

    /// <summary>
    /// The number in the expression's base unit, as written: scaled in decimal, so 70% is the double nearest 0.7 (as 7/10
    /// is) and 1.1s is 1100 ms; in binary, 70 * 0.01 is 0.7000000000000001 and a share of exactly 70% failed ">= 70%".
    /// </summary>
    private static double Scale(string written, double number, decimal factor) =>
        decimal.TryParse(written, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact) && Math.Abs(exact) < 1e15m
            ? (double)(exact * factor)
            : number * (double)factor;

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

    /// <summary>
    /// Whether this comparison can go either way for a figure whose values lie in [<paramref name="min"/>,
    /// <paramref name="max"/>] (whole numbers only, with <paramref name="whole"/>): null when it can, else "always passes"
    /// or "can never pass". "ok_rate &lt;= 100%" or "count == 0.5" judges nothing the run measured.
    /// </summary>
    public string? Vacuity(double min, double max, bool whole = false)
    {
        const string Always = "always passes";
        const string Never = "can never pass";
        var v = Value;
        var outside = v < min || v > max || (whole && v != Math.Floor(v));
        return Operator switch
        {
            ComparisonOperator.GreaterOrEqual => v <= min ? Always : v > max ? Never : null,
            ComparisonOperator.GreaterThan => v < min ? Always : v >= max ? Never : null,
            ComparisonOperator.LessOrEqual => v >= max ? Always : v < min ? Never : null,
            ComparisonOperator.LessThan => v > max ? Always : v <= min ? Never : null,
            ComparisonOperator.Equal => outside ? Never : null,
            _ => outside ? Always : null,
        };
    }

    /// <summary>
    /// Compares with the same tolerance for every operator: a figure that is a ratio (19/20) and a bound written as a
    /// percent (95%) can differ in the last bit, and "== 95%" took it as equal while ">= 95%" failed it.
    /// </summary>
    public bool Compare(double observed)
    {
        var tolerance = 1e-9 * Math.Max(1, Math.Abs(Value));
        var equal = Math.Abs(observed - Value) <= tolerance;
        return Operator switch
        {
            ComparisonOperator.LessThan => observed < Value && !equal,
            ComparisonOperator.LessOrEqual => observed <= Value || equal,
            ComparisonOperator.GreaterThan => observed > Value && !equal,
            ComparisonOperator.GreaterOrEqual => observed >= Value || equal,
            ComparisonOperator.Equal => equal,
            _ => !equal,
        };
    }

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
            // "=>", "=<", "<>", "!==", ">= =": an operator the grammar does not have, not a number that went wrong; quoted as typed.
            var end = text.IndexOf(right[0], op.Index + op.Length);
            return $"\"{text[op.Index..(end + 1)]}\" is not an operator";
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

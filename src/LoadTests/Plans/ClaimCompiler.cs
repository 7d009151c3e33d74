using System.Text.Json;
using System.Text.Json.Nodes;
using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Steps;

namespace PaySim.LoadTests.Plans;

/// <summary>The plan's <c>claims</c>: each parsed in the load engine's threshold grammar and checked against what the run measures (<see cref="ClaimMetrics"/>).</summary>
internal static class ClaimCompiler
{
    /// <summary>The fields of a claim written as an object (<c>{"claim": "success_rate >= 99%", "abortOnFail": true, "delayAbortEval": "10s"}</c>).</summary>
    public static readonly IReadOnlyList<string> ObjectFields = ["claim", "abortOnFail", "delayAbortEval"];

    /// <param name="items">Each claim as written: a text, or an object with <see cref="ObjectFields"/>.</param>
    /// <param name="faultWindows">The plan's fault windows (its faults, then its nodeEvents): what <c>fault_p99_ms[N]</c> may name.</param>
    /// <param name="warmUp">The run's warm-up (scaled): abortOnFail checks begin after it.</param>
    /// <param name="duration">The run's length (scaled): a <c>delayAbortEval</c> that leaves nothing of it to check is refused.</param>
    /// <param name="scale">Scales a plan span by <c>--duration</c>, as every other span of the plan is.</param>
    public static List<Claim> Compile(
        IReadOnlyList<JsonNode?>? items, string p, IReadOnlyCollection<string> scenarioNames, int faultWindows = int.MaxValue,
        TimeSpan warmUp = default, TimeSpan duration = default, Func<TimeSpan, TimeSpan>? scale = null)
    {
        var claims = new List<Claim>();
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            var field = $"{p} claims[{i}]";
            var (text, abortOnFail, delay) = Read(items![i], field);
            var textField = items[i] is JsonObject ? $"{field}.claim" : field;
            if (!Expression.TryParse(ClaimMetrics.Normalise(text), out var expression, out var error))
            {
                throw new PlanException($"{textField}: {error}");
            }

            Validate(expression, textField, scenarioNames);
            CheckReachable(expression, textField, faultWindows);
            if (expression.ScopeKind is null)
            {
                CheckUnit(expression, textField, FigureCatalog.All.First(f => f.Name == BareMetric(expression.Metric)).Unit);
            }
            if (claims.FindIndex(c => SameFigure(c.Expression, expression) && c.Expression.Operator == expression.Operator && c.Expression.Value == expression.Value) is var same and >= 0)
            {
                // The verdict, junit.xml and the report would list it twice, under one name.
                throw new PlanException($"{textField}: \"{text.Trim()}\" says the same as claims[{same}] (\"{claims[same].Text}\"); give each claim once.");
            }

            if (abortOnFail)
            {
                CheckLive(expression, field);
                var written = delay;
                delay = scale?.Invoke(delay) ?? delay;
                if (duration > TimeSpan.Zero && warmUp + delay >= duration)
                {
                    // Scaled by --duration, the delay is not what the plan says: name both, and what the flag did.
                    var scaled = delay != written ? $" (the plan's {DurationText.Format(written)}, scaled with --duration as the warm-up is)" : string.Empty;
                    throw new PlanException(
                        $"{field}.delayAbortEval: {DurationText.Format(delay)}{scaled} after the {DurationText.Format(warmUp)} warm-up leaves nothing of the run's {DurationText.Format(duration)} to check; give less than {DurationText.Format(duration - warmUp)}{(scaled.Length > 0 ? " at this --duration, or a longer --duration" : string.Empty)}.");
                }
            }

            claims.Add(new Claim(text.Trim(), expression, abortOnFail, delay));
        }

        return claims;
    }

    /// <summary>A claim as written: a text, or an object whose every field is known and of its type.</summary>
    private static (string Text, bool AbortOnFail, TimeSpan Delay) Read(JsonNode? item, string field)
    {
        if (item is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return (value.GetValue<string>(), false, TimeSpan.Zero);
        }

        if (item is not JsonObject o)
        {
            throw new PlanException(
                $"{field}: must be a claim text such as \"success_rate >= 99%\" or an object {{\"claim\": \"…\", \"abortOnFail\": true, \"delayAbortEval\": \"10s\"}}, got {Kind(item)}.");
        }

        foreach (var (key, _) in o)
        {
            if (!ObjectFields.Contains(key))
            {
                throw new PlanException($"{field}.{key}: unknown field; allowed: {KnownNames.List(ObjectFields)}.");
            }
        }

        if (o["claim"] is not JsonValue claim || claim.GetValueKind() != JsonValueKind.String)
        {
            throw new PlanException($"{field}.claim: {(o.ContainsKey("claim") ? $"must be a claim text such as \"success_rate >= 99%\", got {Kind(o["claim"])}" : "missing; an object claim names its claim text, e.g. {\"claim\": \"success_rate >= 99%\", \"abortOnFail\": true}")}.");
        }

        var abortOnFail = false;
        if (o.ContainsKey("abortOnFail"))
        {
            if (o["abortOnFail"] is not JsonValue flag || flag.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw new PlanException($"{field}.abortOnFail: must be true or false, got {Kind(o["abortOnFail"])}.");
            }

            abortOnFail = flag.GetValue<bool>();
        }

        var delay = TimeSpan.Zero;
        if (o.ContainsKey("delayAbortEval"))
        {
            if (o["delayAbortEval"] is not JsonValue d || d.GetValueKind() != JsonValueKind.String)
            {
                throw new PlanException($"{field}.delayAbortEval: must be a duration such as \"10s\" ({DurationText.Allowed}), got {Kind(o["delayAbortEval"])}.");
            }

            delay = DurationText.Parse(d.GetValue<string>(), $"{field}.delayAbortEval", LoadLimits.MaxDuration);
            if (!abortOnFail)
            {
                throw new PlanException($"{field}.delayAbortEval: only with \"abortOnFail\": true (it delays the checks that stop the run early).");
            }
        }

        return (claim.GetValue<string>(), abortOnFail, delay);
    }

    /// <summary>Only a figure known while the load runs can stop it: not one the simulator, the ledgers or whole-run analysis give after it.</summary>
    private static void CheckLive(Expression expression, string field)
    {
        var bare = BareMetric(expression.Metric);
        // step:/scenario: statistics are the engine's own, live every second.
        if (expression.ScopeKind is null && !FigureCatalog.LiveNames.Contains(bare))
        {
            throw new PlanException(
                $"{field}.abortOnFail: \"{bare}\" is known only after the load (from the simulator, the ledgers, the reconciliation or the whole run's series), so it cannot stop the run; abortOnFail is allowed on {KnownNames.List(FigureCatalog.LiveNames)}, or step:<name>/scenario:<name> statistics.");
        }

        // A count (or a running max) only grows while the run goes: checked against a lower bound (or an exact value) it
        // fails at the first check, before the run has counted, and would stop a run that ends as a pass.
        if (OnlyGrows(expression.ScopeKind, bare) && expression.Operator is not (ComparisonOperator.LessThan or ComparisonOperator.LessOrEqual)
            && !(expression.Operator == ComparisonOperator.Equal && expression.Value == 0))
        {
            throw new PlanException(
                $"{field}.abortOnFail: \"{expression.Text}\" holds a count that only grows while the run goes to a lower bound or an exact value, so it would fail at the first check, before the run has counted; abortOnFail takes a count's upper bound (<, <= or == 0), or a rate or a latency.");
        }
    }

    /// <summary>Whether a live figure can only grow while the load runs: the catalog's <see cref="RunFigure.OnlyGrows"/>, or a growing step/scenario statistic.</summary>
    private static bool OnlyGrows(string? scopeKind, string bare) => scopeKind is null
        ? FigureCatalog.All.Any(f => f.Name == bare && f.OnlyGrows)
        : ClaimMetrics.GrowingStatNames.Contains(bare);

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"\"{v.GetValue<string>()}\"",
            JsonValueKind.Number => $"the number {v.ToJsonString()}",
            _ => v.ToJsonString(),
        },
        _ => "something else",
    };

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

    /// <summary>
    /// A run-wide claim is written in its figure's unit and can go either way: "success_rate >= 95" compares a share with
    /// 95 and "excess_charges &lt; 1s" a count with 1000 ms, so either judges nothing the run measured.
    /// </summary>
    private static void CheckUnit(Expression expression, string field, FigureUnit unit)
    {
        var bare = BareMetric(expression.Metric);
        var written = $"\"{expression.Text}\"";
        var wrong = unit switch
        {
            FigureUnit.Share when expression.Unit == ExpressionUnit.Duration || (expression.Unit == ExpressionUnit.None && expression.Value is < 0 or > 1) =>
                $"\"{bare}\" is a share; write a percent such as 99% or a fraction between 0 and 1",
            FigureUnit.Fraction when expression.Unit == ExpressionUnit.Duration || (expression.Unit == ExpressionUnit.None && expression.Value is < 0 or > 1) =>
                $"\"{bare}\" is an index between 0 and 1; write a fraction such as 0.95 (or a percent)",
            FigureUnit.Milliseconds when expression.Unit == ExpressionUnit.Percent =>
                $"\"{bare}\" is a time; write one such as 250ms or 3s (no unit means ms)",
            FigureUnit.Count or FigureUnit.Number or FigureUnit.SignedNumber when expression.Unit != ExpressionUnit.None =>
                $"\"{bare}\" is a plain {(unit == FigureUnit.Count ? "count" : "number")}; write it without a unit",
            FigureUnit.Flag when expression.Unit != ExpressionUnit.None || expression.Value is not (0 or 1)
                || expression.Operator is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual) =>
                $"\"{bare}\" is yes or no; write \"{bare} == true\" or \"{bare} == false\"",
            _ => null,
        };
        if (wrong is not null)
        {
            throw new PlanException($"{field}: {written}: {wrong}.");
        }

        // The values the figure can take; a bound outside them makes a claim that always passes or never can.
        var (min, max, range) = unit switch
        {
            FigureUnit.Share => (0d, 1d, "0% to 100%"),
            FigureUnit.Fraction => (0d, 1d, "0 to 1"),
            FigureUnit.Flag => (0d, 1d, "true or false"),
            FigureUnit.SignedNumber => (double.NegativeInfinity, double.PositiveInfinity, "any number"),
            FigureUnit.Count => (0d, double.PositiveInfinity, "a whole number, 0 or more"),
            _ => (0d, double.PositiveInfinity, "0 or more"),
        };
        if (expression.Vacuity(min, max, whole: unit == FigureUnit.Count) is { } outcome)
        {
            throw new PlanException($"{field}: {written} {outcome}: \"{bare}\" is {range}; give a bound inside that.");
        }
    }

    /// <summary>Whether two claims name one figure: the same key, or a figure and its other name (<see cref="RunFigure.SameAs"/>).</summary>
    private static bool SameFigure(Expression a, Expression b) => a.ScopeKind is null && b.ScopeKind is null
        ? Canonical(a.Metric) == Canonical(b.Metric)
        : a.Key == b.Key;

    private static string Canonical(string metric)
    {
        var bare = BareMetric(metric);
        return FigureCatalog.Owner(bare)?.SameAs is { } name ? name + metric[bare.Length..] : metric;
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

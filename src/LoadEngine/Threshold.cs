using PaySim.LoadEngine.Running;

namespace PaySim.LoadEngine;

/// <summary>
/// A pass/fail rule over a scenario's (or one step's) statistics, checked at the end of the run and,
/// when <see cref="AbortOnFail"/> is set, once a second during it (like k6's abortOnFail).
/// Metrics: ok, fail, count, ok_rate, fail_rate, rps, ok_rps, fail_rps, dropped, dropped_rate, bytes,
/// pNN (any percentile: p50, p99, p99.9), mean, max, min, stddev, status[CODE].
/// Prefix with <c>step:&lt;name&gt;</c> to judge one step (everything but dropped*).
/// </summary>
public sealed class Threshold
{
    private Threshold(Expression expression, bool abortOnFail, TimeSpan abortDelay)
    {
        Expression = expression;
        AbortOnFail = abortOnFail;
        AbortDelay = abortDelay;
    }

    public Expression Expression { get; }

    public string Text => Expression.Text;

    /// <summary>Stop the run as soon as the rule fails during it.</summary>
    public bool AbortOnFail { get; }

    /// <summary>Grace period after the scenario starts before abort checks begin (statistics are noisy at first).</summary>
    public TimeSpan AbortDelay { get; }

    /// <summary>Parses and checks the expression now; throws <see cref="LoadConfigException"/> naming the problem.</summary>
    public static Threshold Create(string expression, bool abortOnFail = false, TimeSpan? abortDelay = null)
    {
        var parsed = Expression.Parse(expression);
        ThresholdMetrics.Validate(parsed);
        var delay = abortDelay ?? TimeSpan.Zero;
        if (delay < TimeSpan.Zero)
        {
            throw new LoadConfigException($"threshold \"{parsed.Text}\": abortDelay must be >= 0, got {delay}.");
        }

        return new Threshold(parsed, abortOnFail, delay);
    }

    public static implicit operator Threshold(string expression) => Create(expression);

    public override string ToString() => Text;
}

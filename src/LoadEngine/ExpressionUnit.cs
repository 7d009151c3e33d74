namespace PaySim.LoadEngine;

/// <summary>How an expression's number was written; values are normalised (durations to ms, percents to fractions).</summary>
public enum ExpressionUnit
{
    None,
    Duration,
    Percent,
}

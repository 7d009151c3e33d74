namespace PaySim.LoadEngine;

/// <summary>The outcome of evaluating an <see cref="Expression"/>.</summary>
public sealed record ExpressionResult(bool Pass, double? Observed, string ObservedText, string? Message);

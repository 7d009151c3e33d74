namespace PaySim.Simulator.Risk;

/// <summary>
/// One risk rule: <paramref name="Limit"/> is the rule's number (authorizations for velocity, minor units for
/// amount, riskFlagged and stepUp; unused for repeat), <paramref name="Window"/> its sliding window (zero for
/// the rules without one).
/// </summary>
internal sealed record RiskRule(long Limit, TimeSpan Window, RiskAction Action = RiskAction.Decline);

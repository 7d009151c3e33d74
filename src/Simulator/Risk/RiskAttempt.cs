namespace PaySim.Simulator.Risk;

/// <summary>One authorization a card's window remembers.</summary>
internal readonly record struct RiskAttempt(DateTimeOffset At, long AmountMinor, string MerchantId);

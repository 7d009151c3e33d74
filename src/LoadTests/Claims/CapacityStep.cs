namespace PaySim.LoadTests.Claims;

/// <summary>One rate step of a capacity plan: the rate asked for and what it got.</summary>
internal sealed record CapacityStep(double RatePerSecond, double StartS, double EndS, double? P99Ms, double? OkRate, double Rps, bool Pass);

namespace PaySim.LoadTests.Claims;

/// <summary>
/// One rate step of a capacity plan: the rate asked for and what it got. <see cref="Pass"/> is null when the step was
/// not judged: every second it had was late (<see cref="GeneratorLag"/>), so its latencies were the harness's.
/// <see cref="LateSeconds"/> counts the seconds left out for that reason.
/// </summary>
internal sealed record CapacityStep(double RatePerSecond, double StartS, double EndS, double? P99Ms, double? OkRate, double Rps, bool? Pass, int LateSeconds = 0);

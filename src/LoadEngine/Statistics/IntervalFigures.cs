namespace PaySim.LoadEngine.Statistics;

internal readonly record struct IntervalFigures(long Ok, long Fail, double P50Ms, double P99Ms);

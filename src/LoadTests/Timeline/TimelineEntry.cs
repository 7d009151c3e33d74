namespace PaySim.LoadTests.Timeline;

/// <summary>What the fault timeline did and when (seconds from the start of the load), with the error if the control plane refused.</summary>
internal sealed record TimelineEntry(string What, double AtS, double? UntilS, string? Error);

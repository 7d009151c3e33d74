namespace PaySim.LoadTests.Timeline;

/// <summary>
/// What the fault timeline did and when (seconds from the start of the load), with the error if the control plane
/// refused or the action failed; for a wallet action, the signal or hook command it ran and the hook's exit code.
/// </summary>
internal sealed record TimelineEntry(string What, double AtS, double? UntilS, string? Error, string? Command = null, int? ExitCode = null);

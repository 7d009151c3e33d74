using PaySim.LoadEngine;

namespace PaySim.LoadTests.Running;

/// <summary>The joined result of a run: the summary with every claim judged, and where the reports are.</summary>
internal sealed record RunOutcome(RunSummary Summary, string ReportFolder)
{
    public bool Passed => Summary.Passed;

    /// <summary>The run was interrupted (Ctrl+C, SIGTERM): summary.json says <c>"aborted": true</c> and the exit code is 130.</summary>
    public bool Aborted => Summary.Extra["aborted"]?.GetValue<bool>() == true;
}

using PaySim.LoadEngine;

namespace PaySim.LoadTests.Running;

/// <summary>The joined result of a run: the summary with every claim judged, and where the reports are.</summary>
internal sealed record RunOutcome(RunSummary Summary, string ReportFolder)
{
    public bool Passed => Summary.Passed;

    /// <summary>The run was interrupted (Ctrl+C, SIGTERM): summary.json says <c>"aborted": true</c> and the exit code is 130.</summary>
    public bool Aborted => Summary.Extra["aborted"]?.GetValue<bool>() == true;

    /// <summary>
    /// A fault, node event or wallet event of the plan could not be applied: the claims were judged over another run than
    /// the plan's, so there is no verdict (exit 3); the reason is <see cref="RunSummary.AbortReason"/>.
    /// </summary>
    public bool NotAsWritten => Reporting.NotAsWritten.Is(Summary);
}

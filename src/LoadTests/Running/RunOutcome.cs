using PaySim.LoadEngine;

namespace PaySim.LoadTests.Running;

/// <summary>The joined result of a run: the summary with every claim judged, and where the reports are.</summary>
internal sealed record RunOutcome(RunSummary Summary, string ReportFolder)
{
    public bool Passed => Summary.Passed;

    public IEnumerable<ClaimResult> FailedClaims => Summary.Claims.Where(c => !c.Pass);
}

namespace PaySim.LoadEngine;

/// <summary>Receives the per-second snapshots while the run goes on, and the result at the end.</summary>
public interface IReportingSink
{
    Task OnSnapshotAsync(IReadOnlyList<TimeSeriesPoint> points, CancellationToken cancellationToken);

    Task OnRunCompletedAsync(RunResult result, CancellationToken cancellationToken);
}

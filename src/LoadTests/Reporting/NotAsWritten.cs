using PaySim.LoadEngine;

namespace PaySim.LoadTests.Reporting;

/// <summary>
/// A run whose plan did not run as written: a fault, node event or wallet event could not be applied, so its claims
/// were judged over another run than the plan's and there is no verdict (exit 3). Said by <see cref="RunSummary.AbortReason"/>.
/// </summary>
internal static class NotAsWritten
{
    /// <summary>How <see cref="RunSummary.AbortReason"/> starts for such a run.</summary>
    public const string Prefix = "the plan did not run as written: ";

    public static bool Is(RunSummary summary) =>
        summary.AbortReason?.StartsWith(Prefix, StringComparison.Ordinal) == true && summary.Extra["aborted"]?.GetValue<bool>() != true;
}

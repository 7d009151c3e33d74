using System.Globalization;
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

    /// <summary>
    /// The reason when no iteration ran after the warm-up (every one dropped, or all done within the warm-up): claims
    /// judged over nothing must not certify the wallet, so such a run gives no verdict. Null when any iteration ran. (A
    /// <c>--shard</c> whose share of the load is nothing never gets here: PlanSharder refuses it before anything starts.)
    /// </summary>
    public static string? NoIterationRan(RunSummary summary)
    {
        if (summary.Scenarios.Sum(s => s.Ok + s.Fail) > 0)
        {
            return null;
        }

        var dropped = summary.Scenarios.Sum(s => s.Dropped);
        return $"{Prefix}no iteration ran after the warm-up of the {summary.DurationS.ToString("0.#", CultureInfo.InvariantCulture)}s run"
            + (dropped > 0 ? $" ({dropped} dropped)" : string.Empty) + "; claims cannot judge a run that sent no load";
    }
}

using System.Globalization;
using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Scenarios;

namespace PaySim.LoadTests.Running;

/// <summary>
/// The plan's <c>abortOnFail</c> claims, judged once a second while the load runs (the engine's live check) over what has
/// run so far (cumulative, like k6's thresholds), each from the warm-up's end plus its <c>delayAbortEval</c>. The first
/// that fails stops the load; the run still settles, reconciles and judges every claim, and its verdict is fail.
/// </summary>
internal sealed class AbortOnFailCheck
{
    private readonly (Claim Claim, int Index)[] _claims;
    private readonly TimeSpan _warmUp;
    private readonly RunCounters _counters;

    public AbortOnFailCheck(LoadPlan plan, RunCounters counters)
    {
        _claims = plan.Claims.Select((c, i) => (c, i)).Where(c => c.c.AbortOnFail).ToArray();
        _warmUp = plan.WarmUp;
        _counters = counters;
    }

    /// <summary>Whether the plan has any abortOnFail claim (none: the engine needs no live check).</summary>
    public bool Any => _claims.Length > 0;

    /// <summary>The claim that stopped the run (its index in the plan's claims), when it failed, and what it was then; null while none has.</summary>
    public (int Index, string Text, double AtS, string Observed)? Failed { get; private set; }

    /// <summary><c>claim "success_rate >= 99%" failed at 12s (was 81.3%); the run stopped early (abortOnFail)</c>, or null.</summary>
    public string? Reason => Failed is { } f
        ? $"claim \"{f.Text}\" failed at {Seconds(f.AtS)} (was {f.Observed}); the run stopped early (abortOnFail)"
        : null;

    /// <summary>The engine's live check: the stop reason the first time a due claim fails, else null.</summary>
    public string? Check(RunSummary live, TimeSpan elapsed)
    {
        if (Failed is not null)
        {
            return null;
        }

        var due = _claims.Where(c => elapsed >= _warmUp + c.Claim.AbortDelay).ToArray();
        if (due.Length == 0)
        {
            return null;
        }

        var figures = FigureCatalog.ComputeLive(FigureBuilder.Live(live, _counters));
        foreach (var (claim, index) in due)
        {
            // Nothing measured yet (no iteration ended) is no failure worth stopping for; the end of the run judges it.
            var judged = ClaimMetrics.Judge(claim.Name, claim.Text, figures.Lookup);
            if (!judged.Pass && judged.Observed is not null)
            {
                Failed = (index, claim.Text, elapsed.TotalSeconds, judged.ObservedText);
                return Reason;
            }
        }

        return null;
    }

    /// <summary>The claim that stopped the run fails in the verdict, saying when and why, whatever the whole (shortened) run's value.</summary>
    public void Mark(ClaimResult judged)
    {
        if (Failed is not { } f)
        {
            return;
        }

        judged.Pass = false;
        var note = $"failed at {Seconds(f.AtS)}, was {f.Observed}: stopped the run (abortOnFail)";
        judged.Message = judged.Message is null ? note : $"{judged.Message}; {note}";
    }

    private static string Seconds(double s) => $"{s.ToString("0.#", CultureInfo.InvariantCulture)}s";
}

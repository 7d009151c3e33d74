using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Faults.Engine;

/// <summary>How the host configures the engine (from --fault-seed/--seed, --no-header-faults, ...).</summary>
public sealed class FaultEngineOptions
{
    /// <summary>Every random draw derives from it: the same seed and call order replay the same faults.</summary>
    public ulong Seed { get; set; } = FaultDefaults.Seed;

    /// <summary>Honour x-sim-fault, x-sim-delay-ms and x-sim-status; turn off for shared environments.</summary>
    public bool HeaderOverrides { get; set; } = FaultDefaults.HeaderOverrides;

    /// <summary>
    /// When set (the simulator's --control-token), x-sim-fault, x-sim-delay-ms and x-sim-status act only
    /// on a call that also carries <c>x-sim-token: &lt;token&gt;</c>; without it the call is refused with
    /// PERMISSION_DENIED, so whoever may not reconfigure the simulator may not inject faults per call either.
    /// </summary>
    public string? HeaderToken { get; set; }

    /// <summary>Last N calls kept for GET /v1/journal; 0 = off.</summary>
    public int JournalCapacity { get; set; } = FaultDefaults.JournalCapacity;

    /// <summary>At most this many calls carry a fault at once (Envoy's max_active_faults); null = no limit.</summary>
    public int? MaxActiveFaults { get; set; }

    public FaultRuleContext Context { get; set; } = FaultRuleContext.ForIssuers(3);

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Lists every bad option at once.</summary>
    public void Validate()
    {
        var errors = new FaultRuleErrors();
        if (JournalCapacity < 0 || JournalCapacity > FaultDefaults.MaxJournalCapacity)
        {
            errors.Add("journalCapacity", $"{JournalCapacity} is outside 0–{FaultDefaults.MaxJournalCapacity}");
        }

        if (MaxActiveFaults is < 1)
        {
            errors.Add("maxActiveFaults", $"{MaxActiveFaults} must be 1 or more (or unset for no limit)");
        }

        if (Context.Nodes.Count == 0)
        {
            errors.Add("context.nodes", "at least one node is needed");
        }

        errors.ThrowIfAny();
    }
}

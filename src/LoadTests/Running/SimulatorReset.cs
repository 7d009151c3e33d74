using PaySim.LoadTests.Plans;
using PaySim.LoadTests.SimulatorControl;

namespace PaySim.LoadTests.Running;

/// <summary>
/// <c>run --reset-simulator</c> with an external target: before the load, every fault rule on the simulator is removed
/// (<c>DELETE /v1/faults</c>) and every node that is not up is brought back (<c>POST /v1/nodes/NAME/up</c>), so what
/// someone left there cannot act on the run's calls. The run's counters, ledger and risk rules are left alone.
/// </summary>
internal static class SimulatorReset
{
    /// <summary>Resets the simulator and returns the one line that says what was reset.</summary>
    public static async Task<string> ResetAsync(ControlPlaneClient control, Uri controlUri, CancellationToken ct)
    {
        var rules = await control.GetFaultNamesAsync(ct).ConfigureAwait(false);
        if (rules.Count > 0)
        {
            await control.ClearFaultAsync(null, ct).ConfigureAwait(false);
        }

        var down = (await control.GetNodesAsync(ct).ConfigureAwait(false))
            .Where(n => !string.Equals(n.State, "UP", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        foreach (var node in down)
        {
            await control.SetNodeStateAsync(node.Name, "up", ct).ConfigureAwait(false);
        }

        if (rules.Count == 0 && down.Length == 0)
        {
            return $"reset: the simulator at {controlUri} had no fault rules and every node up; nothing to reset";
        }

        var parts = new List<string>();
        if (rules.Count > 0)
        {
            parts.Add($"removed {rules.Count} fault rule(s) ({Names(rules)})");
        }

        if (down.Length > 0)
        {
            parts.Add($"brought {down.Length} node(s) back up ({Names(down.Select(n => $"{n.Name} was {n.State}").ToArray())})");
        }

        return $"reset: {string.Join(" and ", parts)} on the simulator at {controlUri}";

        static string Names(IReadOnlyList<string> names) => string.Join(", ", names.Take(5)) + (names.Count > 5 ? ", …" : string.Empty);
    }

    /// <summary>The flag with an embedded target: refused (exit 2), the embedded simulator starts fresh for every run.</summary>
    public static void CheckTarget(LoadPlan plan)
    {
        if (plan.Target.IsEmbedded)
        {
            throw new PlanException("--reset-simulator: applies to an external simulator only (target.external or --simulator-url); the embedded target starts a fresh one for every run, with no fault rules and every node up.");
        }
    }
}

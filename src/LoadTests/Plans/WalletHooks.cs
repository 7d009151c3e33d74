namespace PaySim.LoadTests.Plans;

/// <summary>
/// The actions an external target's operator supplies for wallet-instance events: shell commands run by
/// <c>/bin/sh -c</c> (cmd /c on Windows), <see cref="InstancePlaceholder"/> replaced by the instance's name.
/// </summary>
internal static class WalletHooks
{
    public const string Crash = "crash";
    public const string Restart = "restart";
    public const string Freeze = "freeze";
    public const string Thaw = "thaw";
    public const string InstancePlaceholder = "{instance}";

    public static readonly IReadOnlyList<string> Names = [Crash, Restart, Freeze, Thaw];

    /// <summary>The hooks an event needs: its action, and the one that undoes it (a freeze must be thawed even at the run's end).</summary>
    public static IReadOnlyList<string> Needed(NodeEvent e) => e.State switch
    {
        NodeEventState.Crash when e.Duration is null => [Crash],
        NodeEventState.Crash => [Crash, Restart],
        NodeEventState.Freeze => [Freeze, Thaw],
        _ => [],
    };

    /// <summary>Parses <c>--wallet-hook NAME=COMMAND</c> flags; a bad one is a <see cref="PlanException"/> naming the flag.</summary>
    public static IReadOnlyDictionary<string, string> ParseFlags(IEnumerable<string> flags)
    {
        var hooks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var flag in flags)
        {
            var eq = flag.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? flag : flag[..eq].Trim();
            if (eq < 0 || !Names.Contains(name))
            {
                throw new PlanException($"--wallet-hook: \"{flag}\" is not NAME=COMMAND with NAME one of {KnownNames.List(Names)}, e.g. crash='kubectl delete pod {InstancePlaceholder} --grace-period=0'.");
            }

            Add(hooks, name, flag[(eq + 1)..], "--wallet-hook");
        }

        return hooks;
    }

    /// <summary>Checks a plan's <c>target.external.hooks</c>: known names, a command each.</summary>
    public static IReadOnlyDictionary<string, string> FromPlan(Dictionary<string, string>? doc, string field)
    {
        var hooks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, command) in doc ?? [])
        {
            if (!Names.Contains(name))
            {
                throw new PlanException($"{field}.{name}: unknown hook; allowed: {KnownNames.List(Names)}.");
            }

            Add(hooks, name, command, $"{field}.{name}");
        }

        return hooks;
    }

    public static string Render(string command, string instance) => command.Replace(InstancePlaceholder, instance, StringComparison.Ordinal);

    private static void Add(Dictionary<string, string> hooks, string name, string? command, string field)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new PlanException($"{field}: the {name} hook needs a command, e.g. {name}='kubectl delete pod {InstancePlaceholder} --grace-period=0'.");
        }

        if (!hooks.TryAdd(name, command.Trim()))
        {
            throw new PlanException($"{field}: the {name} hook is given twice.");
        }
    }
}

using PaySim.LoadTests.Plans.Documents;

namespace PaySim.LoadTests.Plans;

/// <summary>
/// The plan's <c>nodeEvents</c>: an issuer node taken down or NOT_SERVING, or a wallet instance crashed or frozen.
/// Names are checked against the embedded topology when it is known; an external target needs the hooks
/// that do each wallet action.
/// </summary>
internal static class NodeEventCompiler
{
    /// <param name="nodeNames">Issuer nodes of the embedded cluster; null for an external target (checked when it is reached).</param>
    /// <param name="walletNames">Wallet instances of the embedded cluster; null for an external target.</param>
    /// <param name="hooks">The external target's wallet hooks; null for the embedded target.</param>
    /// <param name="seed">The run's seed: it picks the node of each <c>"node": "seeded"</c> event.</param>
    public static List<NodeEvent> Compile(
        List<PlanNodeEventDocument>? events,
        string p,
        TimeSpan planDuration,
        IReadOnlyList<string>? nodeNames,
        IReadOnlyList<string>? walletNames,
        IReadOnlyDictionary<string, string>? hooks,
        Func<TimeSpan, TimeSpan> scale,
        int seed)
    {
        var result = new List<NodeEvent>();
        for (var i = 0; i < (events?.Count ?? 0); i++)
        {
            var e = events![i];
            var f = $"{p} nodeEvents[{i}]";
            var compiled = e.Wallet is null ? CompileNode(e, f, nodeNames) : CompileWallet(e, f, walletNames, hooks);
            var start = e.Start is null ? TimeSpan.Zero : DurationText.Parse(e.Start, $"{f}.start");
            var duration = e.Duration is null ? (TimeSpan?)null : DurationText.Parse(e.Duration, $"{f}.duration");
            if (start >= planDuration)
            {
                throw new PlanException($"{f}.start: {DurationText.Format(start)} is not inside the plan's duration ({DurationText.Format(planDuration)}).");
            }

            if (duration is { } d && d <= TimeSpan.Zero)
            {
                throw new PlanException($"{f}.duration: must be > 0.");
            }

            var ev = compiled with { Start = scale(start), Duration = duration is null ? null : scale(duration.Value) };
            if (ev.IsWallet && hooks is not null)
            {
                RequireHooks(ev, f, hooks);
            }

            result.Add(ev);
        }

        return nodeNames is null ? result : Resolve(result, nodeNames, seed).ToList();
    }

    /// <summary>
    /// The issuer node the <paramref name="k"/>-th seeded event (0-based, in plan order) of a run with
    /// <paramref name="seed"/> loses: issuer-((seed + k) mod N + 1) of the N issuer nodes in number order. Consecutive
    /// seeds lose every node in turn (with 3 nodes: seeds 0, 1, 2 lose issuer-1, issuer-2, issuer-3), and two seeded
    /// events of one run lose different nodes while there are enough.
    /// </summary>
    public static string Pick(int seed, int k, IReadOnlyList<string> issuerNodes)
    {
        var ordered = issuerNodes.OrderBy(n => n.Length).ThenBy(n => n, StringComparer.Ordinal).ToArray();
        var n = ordered.Length;
        var i = (int)((((long)seed + k) % n + n) % n);
        return ordered[i];
    }

    /// <summary>Every seeded event not picked yet gets its node (<see cref="Pick"/>); the others are returned as they are.</summary>
    public static IReadOnlyList<NodeEvent> Resolve(IReadOnlyList<NodeEvent> events, IReadOnlyList<string> issuerNodes, int seed)
    {
        if (!events.Any(e => e.AwaitsPick) || issuerNodes.Count == 0)
        {
            return events;
        }

        var picked = new List<NodeEvent>(events.Count);
        var k = 0;
        foreach (var e in events)
        {
            picked.Add(e.AwaitsPick ? e with { Node = Pick(seed, k, issuerNodes) } : e);
            k += e.Seeded ? 1 : 0;
        }

        return picked;
    }

    private static NodeEvent CompileNode(PlanNodeEventDocument e, string f, IReadOnlyList<string>? nodeNames)
    {
        if (string.IsNullOrWhiteSpace(e.Node))
        {
            throw new PlanException($"{f}.node: required, e.g. \"issuer-2\" or \"{NodeEvent.SeededNode}\" (or \"wallet\": \"wallet-2\" for a wallet instance).");
        }

        var seeded = e.Node == NodeEvent.SeededNode;
        if (nodeNames is not null && !seeded && !nodeNames.Contains(e.Node))
        {
            throw new PlanException($"{f}.node: \"{e.Node}\" is not a node of the embedded cluster; allowed: {KnownNames.List(nodeNames.Append(NodeEvent.SeededNode))}.");
        }

        var state = e.State switch
        {
            "down" => NodeEventState.Down,
            "notServing" => NodeEventState.NotServing,
            "crash" or "freeze" => throw new PlanException($"{f}.state: \"{e.State}\" is for wallet instances (\"wallet\": \"wallet-2\"); an issuer node allows: {KnownNames.List(KnownNames.NodeStates)}."),
            _ => throw new PlanException($"{f}.state: \"{e.State}\" is not a node state; allowed: {KnownNames.List(KnownNames.NodeStates)}."),
        };
        return new NodeEvent(e.Node, state, TimeSpan.Zero, null) { Seeded = seeded };
    }

    private static NodeEvent CompileWallet(PlanNodeEventDocument e, string f, IReadOnlyList<string>? walletNames, IReadOnlyDictionary<string, string>? hooks)
    {
        if (e.Node is not null)
        {
            throw new PlanException($"{f}: give \"node\" (an issuer node) or \"wallet\" (a wallet instance), not both.");
        }

        if (string.IsNullOrWhiteSpace(e.Wallet) || !InstanceName.IsMatch(e.Wallet))
        {
            throw new PlanException($"{f}.wallet: \"{e.Wallet}\" must be an instance name of letters, digits, '-' or '_', e.g. \"wallet-2\".");
        }

        if (walletNames is not null && !walletNames.Contains(e.Wallet))
        {
            throw new PlanException($"{f}.wallet: \"{e.Wallet}\" is not a wallet instance of the embedded cluster; allowed: {KnownNames.List(walletNames)}.");
        }

        var state = e.State switch
        {
            "crash" => NodeEventState.Crash,
            "freeze" => NodeEventState.Freeze,
            _ => throw new PlanException($"{f}.state: \"{e.State}\" is not a wallet instance state; allowed: {KnownNames.List(KnownNames.WalletStates)}."),
        };
        if (state == NodeEventState.Freeze && hooks is null && OperatingSystem.IsWindows())
        {
            throw new PlanException($"{f}.state: freeze stops the instance's process with SIGSTOP, which Windows does not have; use crash, or an external target with freeze/thaw hooks.");
        }

        return new NodeEvent(e.Wallet, state, TimeSpan.Zero, null);
    }

    private static void RequireHooks(NodeEvent e, string f, IReadOnlyDictionary<string, string> hooks)
    {
        foreach (var name in WalletHooks.Needed(e))
        {
            if (!hooks.ContainsKey(name))
            {
                throw new PlanException(
                    $"{f}: a wallet {e.State.ToString().ToLowerInvariant()} on an external target needs a \"{name}\" hook: --wallet-hook {name}='COMMAND {WalletHooks.InstancePlaceholder}' or target.external.hooks.{name}.");
            }
        }
    }

    private static readonly System.Text.RegularExpressions.Regex InstanceName = new("^[A-Za-z0-9_-]+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}

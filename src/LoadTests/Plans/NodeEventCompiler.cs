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
    public static List<NodeEvent> Compile(
        List<PlanNodeEventDocument>? events,
        string p,
        TimeSpan planDuration,
        IReadOnlyList<string>? nodeNames,
        IReadOnlyList<string>? walletNames,
        IReadOnlyDictionary<string, string>? hooks,
        Func<TimeSpan, TimeSpan> scale)
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

        return result;
    }

    private static NodeEvent CompileNode(PlanNodeEventDocument e, string f, IReadOnlyList<string>? nodeNames)
    {
        if (string.IsNullOrWhiteSpace(e.Node))
        {
            throw new PlanException($"{f}.node: required, e.g. \"issuer-2\" (or \"wallet\": \"wallet-2\" for a wallet instance).");
        }

        if (nodeNames is not null && !nodeNames.Contains(e.Node))
        {
            throw new PlanException($"{f}.node: \"{e.Node}\" is not a node of the embedded cluster; allowed: {KnownNames.List(nodeNames)}.");
        }

        var state = e.State switch
        {
            "down" => NodeEventState.Down,
            "notServing" => NodeEventState.NotServing,
            "crash" or "freeze" => throw new PlanException($"{f}.state: \"{e.State}\" is for wallet instances (\"wallet\": \"wallet-2\"); an issuer node allows: {KnownNames.List(KnownNames.NodeStates)}."),
            _ => throw new PlanException($"{f}.state: \"{e.State}\" is not a node state; allowed: {KnownNames.List(KnownNames.NodeStates)}."),
        };
        return new NodeEvent(e.Node, state, TimeSpan.Zero, null);
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

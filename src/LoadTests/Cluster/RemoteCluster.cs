using PaySim.LoadTests.Plans;
using PaySim.LoadTests.SimulatorControl;
using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Cluster;

/// <summary>A wallet and simulator somebody else started. Nothing to start or stop; only checked before the run.</summary>
internal sealed class RemoteCluster : ITargetCluster
{
    private RemoteCluster(ExternalTarget target, Uri smsUri, IReadOnlyList<string> issuerNodeNames)
    {
        IssuerNodeNames = issuerNodeNames;
        WalletUrls = target.WalletUrls;
        ControlUri = target.SimulatorUrl;
        SmsUri = smsUri;
        WalletControl = target.Hooks.Count > 0 ? new HookWalletControl(target.Hooks) : null;
    }

    public string Kind => "external";

    public IReadOnlyList<Uri> WalletUrls { get; }

    /// <summary>Unknown until they answer: an external instance is known by its URL, and by the X-Served-By its replies carry.</summary>
    public IReadOnlyList<string?> WalletInstanceNames => new string?[WalletUrls.Count];

    public IReadOnlyList<string> IssuerNodeNames { get; }

    public Uri ControlUri { get; }

    public Uri SmsUri { get; }

    public string? WalletMode => null;

    public IWalletInstanceControl? WalletControl { get; }

    private static Exception Refusal(string flag, string problem) =>
        problem.Contains(": unreachable (", StringComparison.Ordinal)
            ? new RunSetupException($"{flag}: {problem}; nothing was run.")
            : new PlanException($"{flag}: {problem}.");

    /// <summary>
    /// Reaches every wallet and the simulator before any load starts. One that answers but not as a wallet or simulator
    /// (a wrong URL: 404, 500) is bad input (exit 2); one that does not answer at all (refused, no answer in 3 s: not up
    /// yet, a CI readiness race) is a peer that failed, so no verdict (exit 3).
    /// </summary>
    public static async Task<RemoteCluster> ConnectAsync(LoadPlan plan, ExternalTarget target, WalletClientFactory? factory, TextWriter log, CancellationToken cancellationToken)
    {
        using var control = new ControlPlaneClient(target.SimulatorUrl);
        if (await control.CheckReachableAsync(cancellationToken).ConfigureAwait(false) is { } simProblem)
        {
            throw Refusal("--simulator-url", simProblem);
        }

        await CheckSettingsAsync(plan, control, log, cancellationToken).ConfigureAwait(false);

        var wallet = factory?.Invoke(target.WalletUrls, TimeSpan.FromSeconds(3)) ?? new HttpWalletClient(target.WalletUrls, TimeSpan.FromSeconds(3));
        using (wallet as IDisposable)
        {
            if (await wallet.CheckHealthAsync(cancellationToken).ConfigureAwait(false) is { } walletProblem)
            {
                throw Refusal("--wallet-url", walletProblem);
            }
        }

        IReadOnlyList<SimNode> nodes = [];
        try
        {
            nodes = await control.GetNodesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or PlanException)
        {
            if (target.SmsUrl is null)
            {
                throw new PlanException($"target.external.smsUrl: the simulator did not list its nodes ({ex.Message}); give the SMS gateway's address.");
            }
        }

        var issuers = nodes.Where(n => n.Kind != "sms").Select(n => n.Name).ToArray();
        foreach (var e in plan.NodeEvents.Where(e => !e.IsWallet))
        {
            if (e.AwaitsPick && issuers.Length == 0)
            {
                throw new PlanException($"nodeEvents: node \"{NodeEvent.SeededNode}\" picks one of the simulator's issuer nodes, and it listed none (GET /v1/nodes); name the node, e.g. \"issuer-2\".");
            }

            if (!e.AwaitsPick && nodes.Count > 0 && !nodes.Any(n => n.Name == e.Node))
            {
                throw new PlanException($"nodeEvents: node \"{e.Node}\" is not known to the simulator; allowed: {KnownNames.List(issuers.Append(NodeEvent.SeededNode))}.");
            }
        }

        if (nodes.Count > 0)
        {
            var names = nodes.Select(n => n.Name).ToArray();
            for (var i = 0; i < plan.Faults.Count; i++)
            {
                FaultRuleCheck.Validate(plan.Faults[i].Rule, names, $"plan {plan.Source}: faults[{i}]");
            }
        }

        var sms = target.SmsUrl ?? nodes.Where(n => n.Kind == "sms").Select(n => ToUri(n.Address)).FirstOrDefault()
            ?? throw new PlanException("target.external.smsUrl: the simulator lists no SMS gateway; give its address.");
        if (target.SmsUrl is null)
        {
            LocalTarget.Check(sms, "the SMS gateway the simulator lists (GET /v1/nodes; --sms-url names another)", target.AllowRemote);
        }

        return new RemoteCluster(target, sms, issuers);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// A claim the simulator's settings make impossible is refused before anything starts (exit 2, one line naming the
    /// setting and the flag that changes it); a simulator without GET /v1/settings is run against unchecked, and says so.
    /// </summary>
    private static async Task CheckSettingsAsync(LoadPlan plan, ControlPlaneClient control, TextWriter log, CancellationToken cancellationToken)
    {
        if (ResendCooldownCheck.NeedsResend(plan) is not { } claim)
        {
            return;
        }

        var (settings, error) = await control.GetSettingsAsync(cancellationToken).ConfigureAwait(false);
        if (settings?.ResendCooldown is not { } cooldown)
        {
            log.WriteLine($"simulator: resendCooldown unknown ({error ?? "GET /v1/settings has no resendCooldownMs"}); claim \"{claim.Text}\" needs a cooldown of at most {DurationText.Format(ResendCooldownCheck.LastChance(plan.Client))} (--resend-cooldown)");
            return;
        }

        if (ResendCooldownCheck.Refusal(plan, cooldown) is { } refusal)
        {
            throw new PlanException(refusal);
        }

        if (ResendCooldownCheck.Note(plan, cooldown) is { } note)
        {
            log.WriteLine(note);
        }
    }

    private static Uri ToUri(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme.StartsWith("http", StringComparison.Ordinal) ? uri : new Uri("http://" + address);
}

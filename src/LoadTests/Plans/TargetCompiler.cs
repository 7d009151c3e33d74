using PaySim.LoadTests.Plans.Documents;

namespace PaySim.LoadTests.Plans;

/// <summary>The plan's <c>target</c> (embedded or external) with the target flags (--wallet-url, --simulator-url, --sms-url, --wallet-hook, --wallet-mode) over it.</summary>
internal static class TargetCompiler
{
    public static PlanTarget Compile(PlanTargetDocument? doc, string p, PlanOverrides overrides)
    {
        if (doc?.Embedded is not null && doc.External is not null)
        {
            throw new PlanException($"{p} target: give either \"embedded\" or \"external\", not both.");
        }

        ExternalTarget? external = null;
        if (overrides.WalletUrls is { Count: > 0 } || overrides.SimulatorUrl is not null)
        {
            if (overrides.WalletUrls is not { Count: > 0 } || overrides.SimulatorUrl is null)
            {
                throw new PlanException("--wallet-url and --simulator-url: an external target needs both (the simulator's control plane gives cardholders, counters and faults).");
            }

            Distinct(overrides.WalletUrls, _ => "--wallet-url");
            foreach (var url in overrides.WalletUrls)
            {
                LocalTarget.Check(url, "--wallet-url", overrides.AllowRemote);
            }

            LocalTarget.Check(overrides.SimulatorUrl, "--simulator-url", overrides.AllowRemote);
            external = new ExternalTarget(overrides.WalletUrls, overrides.SimulatorUrl, SmsUrl(doc?.External, p, overrides), Hooks(doc?.External, p, overrides)) { AllowRemote = overrides.AllowRemote };
        }
        else if (doc?.External is { } ext)
        {
            if (ext.WalletUrls is not { Count: > 0 })
            {
                throw new PlanException($"{p} target.external.walletUrls: at least one wallet URL is required, e.g. [\"http://localhost:7300\"].");
            }

            var urls = ext.WalletUrls.Select((u, i) => HttpUrl.Parse(u, $"{p} target.external.walletUrls[{i}]")).ToArray();
            Distinct(urls, i => $"{p} target.external.walletUrls[{i}]");
            for (var i = 0; i < urls.Length; i++)
            {
                LocalTarget.Check(urls[i], $"{p} target.external.walletUrls[{i}]", overrides.AllowRemote);
            }

            var sim = HttpUrl.Parse(ext.SimulatorUrl ?? throw new PlanException($"{p} target.external.simulatorUrl: required, e.g. \"http://localhost:7000\"."), $"{p} target.external.simulatorUrl");
            LocalTarget.Check(sim, $"{p} target.external.simulatorUrl", overrides.AllowRemote);
            external = new ExternalTarget(urls, sim, SmsUrl(ext, p, overrides), Hooks(ext, p, overrides)) { AllowRemote = overrides.AllowRemote };
        }

        if (external is null && overrides.WalletHooks is { Count: > 0 })
        {
            throw new PlanException("--wallet-hook: applies to an external target only (with --wallet-url and --simulator-url); the embedded wallet instances are child processes the run kills and freezes itself.");
        }

        if (external is null && overrides.AllowRemote)
        {
            throw new PlanException($"{LocalTarget.Flag}: applies to an external target only (with --wallet-url and --simulator-url, or the plan's target.external); the embedded cluster runs on this machine.");
        }

        if (external is null && overrides.SmsUrl is not null)
        {
            throw new PlanException("--sms-url: applies to an external target only (with --wallet-url and --simulator-url).");
        }

        if (external is not null && overrides.WalletMode is not null)
        {
            throw new PlanException("--wallet-mode: applies to the embedded wallet only; an external wallet runs in whatever mode it was started with.");
        }

        var e = doc?.Embedded;
        var embedded = new EmbeddedTarget();
        if (e is not null)
        {
            if (e.Nodes is < 1 or > 9)
            {
                throw new PlanException($"{p} target.embedded.nodes: must be between 1 and 9, got {e.Nodes}.");
            }

            if (e.WalletInstances is < 1 or > 8)
            {
                throw new PlanException($"{p} target.embedded.walletInstances: must be between 1 and 8, got {e.WalletInstances}.");
            }

            if (e.WalletMode is not null && !WalletModeName.All.Contains(e.WalletMode))
            {
                throw new PlanException($"{p} target.embedded.walletMode: \"{e.WalletMode}\" is not a mode; allowed: {KnownNames.List(WalletModeName.All)}.");
            }

            if (e.BalancingPolicy is not null && !KnownNames.BalancingPolicies.Contains(e.BalancingPolicy))
            {
                throw new PlanException($"{p} target.embedded.balancingPolicy: \"{e.BalancingPolicy}\" is not a policy; allowed: {KnownNames.List(KnownNames.BalancingPolicies)}.");
            }

            embedded = new EmbeddedTarget
            {
                Nodes = e.Nodes ?? embedded.Nodes,
                WalletInstances = e.WalletInstances ?? embedded.WalletInstances,
                WalletMode = e.WalletMode ?? embedded.WalletMode,
                BalancingPolicy = e.BalancingPolicy ?? embedded.BalancingPolicy,
            };
        }

        if (overrides.WalletMode is not null)
        {
            if (!WalletModeName.All.Contains(overrides.WalletMode))
            {
                throw new PlanException($"--wallet-mode: \"{overrides.WalletMode}\" is not a mode; allowed: {KnownNames.List(WalletModeName.All)}.");
            }

            embedded = embedded with { WalletMode = overrides.WalletMode };
        }

        if (overrides.Defects is { Count: > 0 } defects)
        {
            if (external is not null)
            {
                throw new PlanException("--defect: applies to the embedded wallet only; an external wallet has whatever defects it was built with.");
            }

            foreach (var defect in defects)
            {
                if (!PaySim.Wallet.Defects.WalletDefects.IsKnown(defect))
                {
                    throw new PlanException($"--defect: \"{defect}\" is not a planted defect; allowed: {KnownNames.List(PaySim.Wallet.Defects.WalletDefects.Names)}.");
                }
            }

            if (embedded.WalletMode != WalletModeName.Resilient)
            {
                throw new PlanException($"--defect: defects are planted on the resilient wallet; this run's wallet mode is {embedded.WalletMode}.");
            }

            embedded = embedded with { Defects = defects.Distinct(StringComparer.Ordinal).ToArray() };
        }

        return new PlanTarget { Embedded = embedded, External = external };
    }

    /// <summary>--sms-url, else the plan's target.external.smsUrl, else null (the simulator's node list gives it).</summary>
    private static Uri? SmsUrl(PlanExternalDocument? doc, string p, PlanOverrides overrides)
    {
        if (overrides.SmsUrl is { } flag)
        {
            LocalTarget.Check(flag, "--sms-url", overrides.AllowRemote);
            return flag;
        }

        if (doc?.SmsUrl is not { } text)
        {
            return null;
        }

        var url = HttpUrl.Parse(text, $"{p} target.external.smsUrl");
        LocalTarget.Check(url, $"{p} target.external.smsUrl", overrides.AllowRemote);
        return url;
    }

    /// <summary>The plan's hooks, then the --wallet-hook flags over them.</summary>
    private static IReadOnlyDictionary<string, string> Hooks(PlanExternalDocument? doc, string p, PlanOverrides overrides)
    {
        var hooks = new Dictionary<string, string>(WalletHooks.FromPlan(doc?.Hooks, $"{p} target.external.hooks"), StringComparer.Ordinal);
        foreach (var (name, command) in overrides.WalletHooks ?? new Dictionary<string, string>())
        {
            hooks[name] = command;
        }

        return hooks;
    }

    /// <summary>The same wallet URL twice is one instance counted as two: it doubles its share and fails the fairness claims.</summary>
    private static void Distinct(IReadOnlyList<Uri> urls, Func<int, string> field)
    {
        for (var i = 1; i < urls.Count; i++)
        {
            if (urls.Take(i).Contains(urls[i]))
            {
                throw new PlanException($"{field(i)}: {urls[i]} given twice; each wallet instance is listed once.");
            }
        }
    }
}

using PaySim.LoadTests.Cluster;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.SimulatorControl;
using PaySim.Simulator.Risk;

namespace PaySim.LoadTests.Running;

/// <summary>
/// The issuer's risk rules for one run: the plan's applied before the load (<c>PUT /v1/risk</c>), then read back as the
/// simulator has them, so the judge of declines and the card-pool check know the rules in force. An external simulator
/// gets its earlier rules back when the run ends, as its faults are cleared.
/// </summary>
internal sealed class RiskRulesScope : IAsyncDisposable
{
    private readonly ControlPlaneClient _control;
    private readonly string? _restore;

    private RiskRulesScope(ControlPlaneClient control, RiskRules? rules, string? restore)
    {
        _control = control;
        Rules = rules;
        _restore = restore;
    }

    /// <summary>The rules in force for the run; null when the simulator could not say (an older one without <c>/v1/risk</c>).</summary>
    public RiskRules? Rules { get; }

    /// <param name="apply">Whether this agent sets the plan's rules (every agent of a sharded run sets the same document).</param>
    /// <param name="restore">Whether the earlier rules are put back at the end (an external simulator, by the agent that plays the timeline).</param>
    public static async Task<RiskRulesScope> StartAsync(LoadPlan plan, ControlPlaneClient control, bool restore, TextWriter log, CancellationToken ct)
    {
        if (plan.Risk is not { } planned)
        {
            try
            {
                return new RiskRulesScope(control, RiskRulesParser.Parse(await control.GetRiskAsync(ct).ConfigureAwait(false)), null);
            }
            catch (Exception ex) when (ex is HttpRequestException or PlanException or RiskRuleException)
            {
                log.WriteLine($"risk: the simulator's risk rules could not be read ({ex.Message.Split('\n')[0]}); every risk decline the issuer gives is believed");
                return new RiskRulesScope(control, null, null);
            }
        }

        string? earlier = null;
        try
        {
            if (restore)
            {
                earlier = await control.GetRiskAsync(ct).ConfigureAwait(false);
            }

            var applied = RiskRulesParser.Parse(await control.SetRiskAsync(planned.ToJson(), ct).ConfigureAwait(false));
            log.WriteLine($"risk: the plan's rules are in force: {applied.ToJson()}");
            return new RiskRulesScope(control, applied, earlier);
        }
        catch (Exception ex) when (ex is HttpRequestException or PlanException or RiskRuleException)
        {
            throw new RunSetupException($"the simulator did not take the plan's risk rules ({ex.Message.Split('\n')[0]}); nothing was run.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_restore is null)
        {
            return;
        }

        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _control.SetRiskAsync(_restore, bounded.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or PlanException or OperationCanceledException)
        {
            // The report is written already; the next run that sets rules replaces these anyway.
        }
    }
}

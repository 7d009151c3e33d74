using System.Collections.Concurrent;

namespace PaySim.Simulator.Risk;

internal sealed class InMemoryRiskWindows : IRiskWindows
{
    private readonly ConcurrentDictionary<string, List<RiskAttempt>> _cards = new(StringComparer.Ordinal);

    public string? Admit(string pan, long amountMinor, string merchantId, DateTimeOffset now, RiskRules rules)
    {
        var history = _cards.GetOrAdd(pan, static _ => []);
        lock (history)
        {
            // Attempts older than the longest window can no longer count (the list stays as short as the rules allow).
            var horizon = now - rules.LongestWindow;
            history.RemoveAll(a => a.At <= horizon);
            var fired = RiskWindowCheck.Fire(history, amountMinor, merchantId, now, rules);
            if (fired is null || Action(rules, fired) == RiskAction.Challenge)
            {
                history.Add(new RiskAttempt(now, amountMinor, merchantId));
            }

            return fired;
        }
    }

    public void Clear() => _cards.Clear();

    private static RiskAction Action(RiskRules rules, string rule) => rule switch
    {
        RiskRuleNames.Repeat => rules.Repeat!.Action,
        RiskRuleNames.Velocity => rules.Velocity!.Action,
        _ => rules.Amount!.Action,
    };
}

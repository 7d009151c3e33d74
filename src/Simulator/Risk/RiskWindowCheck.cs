namespace PaySim.Simulator.Risk;

/// <summary>The window rules over one card's history, shared by the in-memory store and its tests.</summary>
internal static class RiskWindowCheck
{
    /// <summary>The rule that fires for this attempt given the card's earlier ones (see <see cref="IRiskWindows.Admit"/>).</summary>
    public static string? Fire(IReadOnlyList<RiskAttempt> history, long amountMinor, string merchantId, DateTimeOffset now, RiskRules rules)
    {
        string? challenge = null;
        foreach (var (name, rule) in Ordered(rules))
        {
            if (!Exceeded(name, rule, history, amountMinor, merchantId, now))
            {
                continue;
            }

            if (rule.Action == RiskAction.Decline)
            {
                return name;
            }

            challenge ??= name;
        }

        return challenge;
    }

    private static IEnumerable<(string Name, RiskRule Rule)> Ordered(RiskRules rules)
    {
        if (rules.Repeat is { } repeat)
        {
            yield return (RiskRuleNames.Repeat, repeat);
        }

        if (rules.Velocity is { } velocity)
        {
            yield return (RiskRuleNames.Velocity, velocity);
        }

        if (rules.Amount is { } amount)
        {
            yield return (RiskRuleNames.Amount, amount);
        }
    }

    private static bool Exceeded(string name, RiskRule rule, IReadOnlyList<RiskAttempt> history, long amountMinor, string merchantId, DateTimeOffset now)
    {
        var since = now - rule.Window;
        long count = 0, sum = 0;
        foreach (var a in history)
        {
            // A window covers (now - window, now]: an attempt exactly one window ago has left it.
            if (a.At <= since)
            {
                continue;
            }

            if (name == RiskRuleNames.Repeat && a.AmountMinor == amountMinor && string.Equals(a.MerchantId, merchantId, StringComparison.Ordinal))
            {
                return true;
            }

            count++;
            sum += a.AmountMinor;
        }

        return name switch
        {
            RiskRuleNames.Velocity => count + 1 > rule.Limit,
            RiskRuleNames.Amount => sum + amountMinor > rule.Limit,
            _ => false,
        };
    }
}

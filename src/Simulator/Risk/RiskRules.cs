using System.Text.Json;
using PaySim.Contracts.Durations;

namespace PaySim.Simulator.Risk;

/// <summary>
/// The issuer's risk rules, per card (docs/simulator.md "Risk controls"). A null rule is off. The defaults keep
/// every payment as it was before risk controls existed: only the daily limit (always there) and the
/// risk-flagged persona's rule, which no default cardholder has.
/// </summary>
internal sealed record RiskRules
{
    public const long DefaultRiskFlaggedAboveMinor = 1_000;

    public static readonly RiskRules Default = new();

    /// <summary>At most <see cref="RiskRule.Limit"/> authorizations per card in the window: 65 FREQUENCY_EXCEEDED.</summary>
    public RiskRule? Velocity { get; init; }

    /// <summary>At most <see cref="RiskRule.Limit"/> minor units per card in the window: 61 AMOUNT_LIMIT_EXCEEDED.</summary>
    public RiskRule? Amount { get; init; }

    /// <summary>The card's daily limit from the cardholder file: 61 OVER_LIMIT. Off = no daily limit.</summary>
    public bool DailyLimit { get; init; } = true;

    /// <summary>The same card, merchant and amount again within the window: 59 REPEATED_ATTEMPT.</summary>
    public RiskRule? Repeat { get; init; }

    /// <summary>Cards of persona risk-flagged paying more than <see cref="RiskRule.Limit"/>: 59 SUSPECTED_FRAUD.</summary>
    public RiskRule? RiskFlagged { get; init; } = new(DefaultRiskFlaggedAboveMinor, TimeSpan.Zero);

    /// <summary>Merchants no card of this issuer may pay: 57 NOT_PERMITTED.</summary>
    public IReadOnlyList<string> NotPermittedMerchants { get; init; } = [];

    /// <summary>Payments above <see cref="RiskRule.Limit"/> answer 1A and complete with AuthenticatePayment.</summary>
    public RiskRule? StepUp { get; init; }

    /// <summary>The rules that keep a per-card window (repeat, velocity, amount).</summary>
    public bool HasWindows => Velocity is not null || Amount is not null || Repeat is not null;

    /// <summary>
    /// Whether an Authorize can go straight to the hold once the card's own checks and the stateless rules passed:
    /// no window to record and no challenge to open.
    /// </summary>
    public bool HoldsDirectly => !HasWindows && StepUp is null && RiskFlagged is not { Action: RiskAction.Challenge };

    /// <summary>The longest window of the window rules (what a card's history must keep).</summary>
    public TimeSpan LongestWindow =>
        new[] { Velocity?.Window ?? TimeSpan.Zero, Amount?.Window ?? TimeSpan.Zero, Repeat?.Window ?? TimeSpan.Zero }.Max();

    /// <summary>Every field, defaults included, in the document format (GET /v1/risk).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            WriteRule(w, RiskRuleNames.Velocity, Velocity, "count", window: true, action: true);
            WriteRule(w, RiskRuleNames.Amount, Amount, "maxMinor", window: true, action: true);
            w.WriteBoolean(RiskRuleNames.DailyLimit, DailyLimit);
            WriteRule(w, RiskRuleNames.Repeat, Repeat, null, window: true, action: true);
            WriteRule(w, RiskRuleNames.RiskFlagged, RiskFlagged, "aboveMinor", window: false, action: true);
            w.WriteStartArray("notPermittedMerchants");
            foreach (var m in NotPermittedMerchants)
            {
                w.WriteStringValue(m);
            }

            w.WriteEndArray();
            WriteRule(w, RiskRuleNames.StepUp, StepUp, "aboveMinor", window: false, action: false);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteRule(Utf8JsonWriter w, string name, RiskRule? rule, string? limitName, bool window, bool action)
    {
        if (rule is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        if (limitName is not null)
        {
            w.WriteNumber(limitName, rule.Limit);
        }

        if (window)
        {
            w.WriteString("window", HumanDuration.Format(rule.Window));
        }

        if (action)
        {
            w.WriteString("action", rule.Action == RiskAction.Challenge ? "challenge" : "decline");
        }

        w.WriteEndObject();
    }
}

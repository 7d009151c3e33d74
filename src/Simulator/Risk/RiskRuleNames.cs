namespace PaySim.Simulator.Risk;

/// <summary>The rule names of the risk document, the stats (<c>MethodStats.risk</c>) and <c>AuthorizeReply.risk_rule</c>.</summary>
internal static class RiskRuleNames
{
    public const string Velocity = "velocity";
    public const string Amount = "amount";
    public const string DailyLimit = "dailyLimit";
    public const string Repeat = "repeat";
    public const string RiskFlagged = "riskFlagged";
    public const string NotPermitted = "notPermitted";
    public const string StepUp = "stepUp";

    public static readonly string[] All = [Velocity, Amount, DailyLimit, Repeat, RiskFlagged, NotPermitted, StepUp];
}

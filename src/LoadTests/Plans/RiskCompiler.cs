using System.Text.Json.Nodes;
using PaySim.Simulator.Risk;

namespace PaySim.LoadTests.Plans;

/// <summary>
/// The plan's <c>risk</c>: the issuer's risk rules for the run, read by the simulator's own parser, so a plan, <c>--risk</c>
/// and <c>PUT /v1/risk</c> accept exactly the same documents (docs/simulator.md "Risk controls").
/// </summary>
internal static class RiskCompiler
{
    /// <summary>Null when the plan sets no rules (the target's stay); otherwise the rules, every field filled in.</summary>
    public static RiskRules? Compile(JsonObject? risk, string p)
    {
        if (risk is null)
        {
            return null;
        }

        try
        {
            return RiskRulesParser.Parse(risk.ToJsonString());
        }
        catch (RiskRuleException e)
        {
            var first = e.Errors.Count > 0 ? e.Errors[0] : null;
            var field = first is null || first.Field == "risk" ? "risk" : $"risk.{first.Field}";
            var more = e.Errors.Count > 1 ? $" (and {e.Errors.Count - 1} more)" : string.Empty;
            throw new PlanException($"{p} {field}: {first?.Problem ?? "refused by the simulator's risk rules"}{more}.", e);
        }
    }
}

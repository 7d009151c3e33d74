using System.Text.Json.Nodes;
using PaySim.Simulator.Faults.Rules;

namespace PaySim.LoadTests.Plans;

/// <summary>Checks a plan's fault rule with the simulator's own parser, so plans and the control plane accept exactly the same rules.</summary>
internal static class FaultRuleCheck
{
    public static void Validate(JsonObject rule, int issuerNodes, string field) =>
        Validate(rule, Enumerable.Range(1, issuerNodes).Select(i => $"issuer-{i}").Append("sms").ToArray(), field);

    public static void Validate(JsonObject rule, IReadOnlyList<string> nodes, string field)
    {
        if (!FaultRuleParser.TryParse(rule.ToJsonString(), new FaultRuleContext(nodes), out _, out var errors))
        {
            var first = errors.Count > 0 ? errors[0].ToString() : "refused by the fault engine";
            throw new PlanException($"{field}: {first}{(errors.Count > 1 ? $" (and {errors.Count - 1} more)" : string.Empty)}.");
        }
    }
}

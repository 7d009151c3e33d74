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
            // Every problem, not the first and a count: the user cannot see the others any other way before the run.
            var all = errors.Count > 0 ? string.Join("; ", errors.Take(5).Select(e => e.ToString())) : "refused by the fault engine";
            throw new PlanException($"{field}: {all}{(errors.Count > 5 ? $" (and {errors.Count - 5} more)" : string.Empty)}.");
        }
    }
}

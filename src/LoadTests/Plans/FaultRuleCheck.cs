using System.Runtime.CompilerServices;
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
        try
        {
            ValidateWithParser(rule, nodes, field);
        }
        catch (TypeLoadException)
        {
            // A simulator built without its fault engine (-p:ExcludeFaults=true) cannot check rules here;
            // the control plane still refuses a bad rule when the timeline applies it, and the report shows it.
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ValidateWithParser(JsonObject rule, IReadOnlyList<string> nodes, string field)
    {
        if (!FaultRuleParser.TryParse(rule.ToJsonString(), new FaultRuleContext(nodes), out _, out var errors))
        {
            var first = errors.Count > 0 ? errors[0].ToString() : "refused by the fault engine";
            throw new PlanException($"{field}: {first}{(errors.Count > 1 ? $" (and {errors.Count - 1} more)" : string.Empty)}.");
        }
    }
}

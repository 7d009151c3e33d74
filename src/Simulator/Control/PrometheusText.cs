using System.Globalization;
using System.Text;
using PaySim.Contracts.Control.V1;
using PaySim.Simulator.Nodes;

namespace PaySim.Simulator.Control;

/// <summary>Prometheus text exposition (version 0.0.4) of the stats and invariants.</summary>
internal static class PrometheusText
{
    public static string Render(StatsReply stats, InvariantsReply invariants, IReadOnlyList<NodeStatus> nodes)
    {
        var sb = new StringBuilder();
        Counter(sb, stats, "paysim_calls_total", "Calls received, by node and method.", m => m.Calls);
        Counter(sb, stats, "paysim_errors_total", "Calls that ended with a non-OK gRPC status.", m => m.Errors);
        Counter(sb, stats, "paysim_declines_total", "OK replies with a response code other than 00.", m => m.Declines);

        sb.Append("# HELP paysim_faults_total Injected faults, by node, method and kind.\n# TYPE paysim_faults_total counter\n");
        foreach (var node in stats.Nodes)
        {
            foreach (var m in node.Methods)
            {
                foreach (var (kind, n) in m.Faults)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"paysim_faults_total{{node=\"{node.Name}\",method=\"{m.Method}\",kind=\"{kind}\"}} {n}\n");
                }
            }
        }

        sb.Append("# HELP paysim_fault_rule_injections_total Injected faults, by rule (rules cleared since the last reset included).\n# TYPE paysim_fault_rule_injections_total counter\n");
        foreach (var (rule, n) in stats.Rules.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            sb.Append(CultureInfo.InvariantCulture, $"paysim_fault_rule_injections_total{{rule=\"{rule}\"}} {n}\n");
        }

        sb.Append("# HELP paysim_latency_ms Server-side latency quantiles, by node and method.\n# TYPE paysim_latency_ms gauge\n");
        foreach (var node in stats.Nodes)
        {
            foreach (var m in node.Methods)
            {
                sb.Append(CultureInfo.InvariantCulture, $"paysim_latency_ms{{node=\"{node.Name}\",method=\"{m.Method}\",quantile=\"0.5\"}} {m.P50Ms}\n");
                sb.Append(CultureInfo.InvariantCulture, $"paysim_latency_ms{{node=\"{node.Name}\",method=\"{m.Method}\",quantile=\"0.99\"}} {m.P99Ms}\n");
            }
        }

        sb.Append("# HELP paysim_node_up 1 when the node listens and reports SERVING.\n# TYPE paysim_node_up gauge\n");
        foreach (var n in nodes)
        {
            sb.Append(CultureInfo.InvariantCulture, $"paysim_node_up{{node=\"{n.Name}\",kind=\"{n.Kind}\",state=\"{NodeStateNames.Name(n.State)}\"}} {(n.State == NodeState.Up ? 1 : 0)}\n");
        }

        sb.Append("# HELP paysim_duplicate_charges Payments that moved money twice on one card.\n# TYPE paysim_duplicate_charges gauge\n");
        sb.Append(CultureInfo.InvariantCulture, $"paysim_duplicate_charges {invariants.DuplicateCharges}\n");
        sb.Append("# HELP paysim_money_conserved 1 when balances + held + captured - refunded equals the opening total and held equals authorized - captured - released.\n# TYPE paysim_money_conserved gauge\n");
        sb.Append(CultureInfo.InvariantCulture, $"paysim_money_conserved {(invariants.MoneyConserved ? 1 : 0)}\n");
        sb.Append("# HELP paysim_held_minor Money held by authorizations not captured or released, in minor units.\n# TYPE paysim_held_minor gauge\n");
        sb.Append(CultureInfo.InvariantCulture, $"paysim_held_minor {invariants.HeldMinor}\n");
        sb.Append("# HELP paysim_released_minor Money given back to balances by Void, in minor units.\n# TYPE paysim_released_minor gauge\n");
        sb.Append(CultureInfo.InvariantCulture, $"paysim_released_minor {invariants.ReleasedMinor}\n");
        return sb.ToString();
    }

    private static void Counter(StringBuilder sb, StatsReply stats, string name, string help, Func<MethodStats, long> value)
    {
        sb.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n");
        foreach (var node in stats.Nodes)
        {
            foreach (var m in node.Methods)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{name}{{node=\"{node.Name}\",method=\"{m.Method}\"}} {value(m)}\n");
            }
        }
    }
}

using PaySim.Contracts.Control.V1;
using PaySim.Simulator.Nodes;
using Prometheus;

namespace PaySim.Simulator.Observability;

/// <summary>
/// <c>GET /metrics</c> through prometheus-net (the wallet uses the same library). Latency is a histogram in seconds
/// fed on the call path; counters are read from the stats at scrape time and only ever grow (a <c>/v1/reset</c> shows
/// as a counter reset, which <c>rate()</c> handles); node state is one series per state, so no series changes its
/// labels when a node goes down. One registry per simulator, so simulators hosted in one process never share a series.
/// </summary>
internal sealed class SimulatorMetrics
{
    private static readonly double[] LatencyBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private static readonly NodeState[] States = [NodeState.Up, NodeState.Down, NodeState.NotServing];

    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly Histogram _latency;
    private readonly MonotonicCounter _calls;
    private readonly MonotonicCounter _errors;
    private readonly MonotonicCounter _declines;
    private readonly MonotonicCounter _faults;
    private readonly MonotonicCounter _risk;
    private readonly MonotonicCounter _ruleInjections;
    private readonly Gauge _nodeUp;
    private readonly Gauge _nodeState;
    private readonly Gauge _duplicateCharges;
    private readonly Gauge _moneyConserved;
    private readonly Gauge _held;
    private readonly Gauge _released;
    private readonly Gauge _declinedReattempts;

    public SimulatorMetrics()
    {
        var f = Metrics.WithCustomRegistry(_registry);
        _latency = f.CreateHistogram("paysim_call_duration_seconds", "Server-side call latency, by node and method.", ["node", "method"], new HistogramConfiguration { Buckets = LatencyBuckets });
        _calls = new(f.CreateCounter("paysim_calls_total", "Calls received, by node and method.", ["node", "method"]));
        _errors = new(f.CreateCounter("paysim_errors_total", "Calls that ended with a non-OK gRPC status, by node and method.", ["node", "method"]));
        _declines = new(f.CreateCounter("paysim_declines_total", "OK replies with a response code other than 00, by node and method.", ["node", "method"]));
        _faults = new(f.CreateCounter("paysim_faults_total", "Injected faults, by node, method and kind.", ["node", "method", "kind"]));
        _risk = new(f.CreateCounter("paysim_risk_total", "Risk rules that fired (declines and 1A challenges), by node, method and rule.", ["node", "method", "rule"]));
        _ruleInjections = new(f.CreateCounter("paysim_fault_rule_injections_total", "Injected faults, by rule (rules cleared since included).", ["rule"]));
        _nodeUp = f.CreateGauge("paysim_node_up", "1 when the node listens and reports SERVING, else 0.", ["node", "kind"]);
        _nodeState = f.CreateGauge("paysim_node_state", "1 for the node's current state (UP, DOWN, NOT_SERVING), 0 for the others.", ["node", "kind", "state"]);
        _duplicateCharges = f.CreateGauge("paysim_duplicate_charges", "Payments that moved money twice on one card.");
        _moneyConserved = f.CreateGauge("paysim_money_conserved", "1 when balances + held + captured - refunded equals the opening total and held equals authorized - captured - released.");
        _held = f.CreateGauge("paysim_held_minor", "Money held by authorizations not captured or released, in minor units.");
        _released = f.CreateGauge("paysim_released_minor", "Money given back to balances by Void, in minor units.");
        _declinedReattempts = f.CreateGauge("paysim_declined_reattempts", "Authorize calls that sent a declined order again under a new idempotency key, since the last reset.");
    }

    /// <summary>Where the call path hands one node and method's latencies: the histogram's series for them, resolved once.</summary>
    public Action<TimeSpan> LatencyObserver(string node, string method)
    {
        var series = _latency.WithLabels(node, method);
        return elapsed => series.Observe(elapsed.TotalSeconds);
    }

    /// <summary>Prometheus text exposition 0.0.4 of the stats, invariants and node states read now.</summary>
    public async Task WriteAsync(Stream body, StatsReply stats, InvariantsReply invariants, IReadOnlyList<NodeStatus> nodes, CancellationToken ct)
    {
        Update(stats, invariants, nodes);
        await _registry.CollectAndExportAsTextAsync(body, ct).ConfigureAwait(false);
    }

    private void Update(StatsReply stats, InvariantsReply invariants, IReadOnlyList<NodeStatus> nodes)
    {
        lock (_registry)
        {
            foreach (var node in stats.Nodes)
            {
                foreach (var m in node.Methods)
                {
                    _calls.Observe(m.Calls, node.Name, m.Method);
                    _errors.Observe(m.Errors, node.Name, m.Method);
                    _declines.Observe(m.Declines, node.Name, m.Method);
                    foreach (var (kind, n) in m.Faults)
                    {
                        _faults.Observe(n, node.Name, m.Method, kind);
                    }

                    foreach (var (rule, n) in m.Risk)
                    {
                        _risk.Observe(n, node.Name, m.Method, rule);
                    }
                }
            }

            foreach (var (rule, n) in stats.Rules)
            {
                _ruleInjections.Observe(n, rule);
            }

            foreach (var n in nodes)
            {
                _nodeUp.WithLabels(n.Name, n.Kind).Set(n.State == NodeState.Up ? 1 : 0);
                foreach (var state in States)
                {
                    _nodeState.WithLabels(n.Name, n.Kind, NodeStateNames.Name(state)).Set(n.State == state ? 1 : 0);
                }
            }

            _duplicateCharges.Set(invariants.DuplicateCharges);
            _moneyConserved.Set(invariants.MoneyConserved ? 1 : 0);
            _held.Set(invariants.HeldMinor);
            _released.Set(invariants.ReleasedMinor);
            _declinedReattempts.Set(invariants.DeclinedReattempts);
        }
    }
}

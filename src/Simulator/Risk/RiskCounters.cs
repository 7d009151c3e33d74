using System.Collections.Concurrent;
using PaySim.Contracts.Control.V1;

namespace PaySim.Simulator.Risk;

/// <summary>Risk rules that fired, by node, method and rule: the <c>risk</c> map of each method's stats and <c>paysim_risk_total</c>.</summary>
internal sealed class RiskCounters
{
    private readonly ConcurrentDictionary<(string Node, string Method, string Rule), Counter> _counts = new();

    public void Add(string node, string method, string rule) =>
        Interlocked.Increment(ref _counts.GetOrAdd((node, method, rule), static _ => new Counter()).Value);

    public long Get(string node, string method, string rule) =>
        _counts.TryGetValue((node, method, rule), out var c) ? Volatile.Read(ref c.Value) : 0;

    /// <summary>Adds the counts to a stats reply, creating the node and method entries they need.</summary>
    public void AddTo(StatsReply reply)
    {
        foreach (var ((node, method, rule), counter) in _counts)
        {
            var n = reply.Nodes.FirstOrDefault(x => x.Name == node);
            if (n is null)
            {
                n = new NodeStats { Name = node };
                reply.Nodes.Add(n);
            }

            var m = n.Methods.FirstOrDefault(x => x.Method == method);
            if (m is null)
            {
                m = new MethodStats { Method = method };
                n.Methods.Add(m);
            }

            m.Risk[rule] = Volatile.Read(ref counter.Value);
        }
    }

    public void Reset() => _counts.Clear();

    private sealed class Counter
    {
        public long Value;
    }
}

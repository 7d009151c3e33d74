using System.Collections.Concurrent;
using PaySim.Contracts.Control.V1;

namespace PaySim.Simulator.Calls;

/// <summary>
/// Per node and per method: calls, errors (non-OK status), declines (code != 00), latency. Faults are
/// counted by the fault engine (FaultStats) and added to the same snapshot by the control plane.
/// </summary>
/// <param name="latencyObserver">Gives, once per node and method, where else each latency goes (the exported histogram); null for none.</param>
internal sealed class CallMetrics(Func<string, string, Action<TimeSpan>>? latencyObserver = null)
{
    // Counters and rule counts of one generation, swapped whole by Reset: counters made for a
    // generation live in its dictionaries, so a cached MethodCounters knows if it is stale.
    private volatile Counts _counts = new(0);
    private int _lastGeneration;

    /// <summary>Changes on every <see cref="Reset"/>: whoever caches a <see cref="MethodCounters"/> asks again.</summary>
    public int Generation => _counts.Generation;

    public MethodCounters For(string node, string method)
    {
        var counts = _counts;
        return counts.Methods.GetOrAdd((node, method), static (key, state) => new MethodCounters(state.Generation, state.Observer?.Invoke(key.Node, key.Method)), (counts.Generation, Observer: latencyObserver));
    }

    public void Reset() => _counts = new Counts(Interlocked.Increment(ref _lastGeneration));

    /// <summary>A snapshot with every listed node present (zeros included), then any other node seen.</summary>
    public StatsReply Snapshot(IEnumerable<string> nodeNames)
    {
        var reply = new StatsReply();
        var counts = _counts;
        var byNode = counts.Methods.ToArray().GroupBy(kv => kv.Key.Node).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var names = nodeNames.ToList();
        names.AddRange(byNode.Keys.Where(k => !names.Contains(k)).Order(StringComparer.Ordinal));
        foreach (var name in names)
        {
            var node = new NodeStats { Name = name };
            if (byNode.TryGetValue(name, out var methods))
            {
                foreach (var (key, c) in methods.OrderBy(m => m.Key.Method, StringComparer.Ordinal))
                {
                    var m = new MethodStats
                    {
                        Method = key.Method,
                        Calls = c.Calls,
                        Errors = c.Errors,
                        Declines = c.Declines,
                    };
                    if (c.LatencyPercentiles() is { } latency)
                    {
                        (m.P50Ms, m.P99Ms) = latency;
                    }

                    node.Requests += m.Calls;
                    node.Errors += m.Errors;
                    node.Methods.Add(m);
                }
            }

            reply.Nodes.Add(node);
        }

        return reply;
    }

    private sealed class Counts(int generation)
    {
        public int Generation { get; } = generation;

        public ConcurrentDictionary<(string Node, string Method), MethodCounters> Methods { get; } = new();
    }
}

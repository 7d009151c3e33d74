using System.Collections.Concurrent;
using HdrHistogram;

namespace PaySim.Simulator.Hosting;

/// <summary>Counters for one (node, method): interlocked increments and a concurrent histogram, no locks.</summary>
internal sealed class MethodCounters(int generation = 0)
{
    private const long MaxLatencyMicros = 3_600_000_000;

    /// <summary>The <see cref="CallMetrics.Generation"/> these counters belong to; a reset starts a new one.</summary>
    public int Generation { get; } = generation;

    public long Calls;
    public long Errors;
    public long Declines;
    public readonly LongConcurrentHistogram LatencyMicros = new(1, MaxLatencyMicros, 3);
    public readonly ConcurrentDictionary<string, long> Faults = new(StringComparer.Ordinal);

    public void RecordLatency(TimeSpan elapsed)
    {
        var micros = Math.Clamp((long)(elapsed.Ticks / 10), 1, MaxLatencyMicros);
        LatencyMicros.RecordValue(micros);
    }
}

using System.Runtime.CompilerServices;
using HdrHistogram;

namespace PaySim.Simulator.Calls;

/// <summary>
/// Counters for one (node, method): calls, errors, declines and a latency histogram, striped by the
/// processor the caller runs on. Every call touches these; one shared counter and histogram made the
/// cores pass the same cache lines back and forth on every call (five atomic operations each). A
/// stripe is written mostly by one core; readers add the stripes up. No locks.
/// </summary>
/// <param name="generation">The <see cref="CallMetrics.Generation"/> these counters belong to.</param>
/// <param name="observe">Also hands every latency to the exported metrics (a Prometheus histogram that lives across resets).</param>
internal sealed class MethodCounters(int generation = 0, Action<TimeSpan>? observe = null)
{
    private const long MaxLatencyMicros = 3_600_000_000;
    private static readonly int StripeMask = StripeCount() - 1;
    private readonly Stripe[] _stripes = Enumerable.Range(0, StripeMask + 1).Select(_ => new Stripe()).ToArray();
    private LongHistogram? _merged;

    /// <summary>The <see cref="CallMetrics.Generation"/> these counters belong to; a reset starts a new one.</summary>
    public int Generation { get; } = generation;

    public long Calls => _stripes.Sum(s => Volatile.Read(ref s.Calls));

    public long Errors => _stripes.Sum(s => Volatile.Read(ref s.Errors));

    public long Declines => _stripes.Sum(s => Volatile.Read(ref s.Declines));

    public void AddCall() => Interlocked.Increment(ref Mine().Calls);

    public void AddError() => Interlocked.Increment(ref Mine().Errors);

    public void AddDecline() => Interlocked.Increment(ref Mine().Declines);

    public void RecordLatency(TimeSpan elapsed)
    {
        var micros = Math.Clamp(elapsed.Ticks / 10, 1, MaxLatencyMicros);
        Mine().LatencyMicros.RecordValue(micros);
        observe?.Invoke(elapsed);
    }

    /// <summary>Latency percentiles over every stripe, in milliseconds; null when no call finished yet.</summary>
    public (double P50Ms, double P99Ms)? LatencyPercentiles()
    {
        // One merge histogram per counters, reused under a lock: stats are read about once a second.
        lock (_stripes)
        {
            _merged ??= new LongHistogram(1, MaxLatencyMicros, 3);
            _merged.Reset();
            foreach (var stripe in _stripes)
            {
                _merged.Add(stripe.LatencyMicros);
            }

            return _merged.TotalCount == 0
                ? null
                : (_merged.GetValueAtPercentile(50) / 1000.0, _merged.GetValueAtPercentile(99) / 1000.0);
        }
    }

    // A power of two at least the processor count, at most 4: enough to keep two busy cores off each
    // other's lines without multiplying the histograms' memory by the size of a large machine.
    private static int StripeCount()
    {
        var n = 1;
        while (n < Math.Min(Environment.ProcessorCount, 4))
        {
            n <<= 1;
        }

        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Stripe Mine() => _stripes[Thread.GetCurrentProcessorId() & StripeMask];

    // Its own object per stripe, so two stripes' counters do not share a cache line.
    private sealed class Stripe
    {
        public readonly LongConcurrentHistogram LatencyMicros = new(1, MaxLatencyMicros, 3);
        public long Calls;
        public long Errors;
        public long Declines;
    }
}

using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using PaySim.LoadEngine;
using PaySim.LoadEngine.Scheduling;
using PaySim.LoadEngine.Statistics;

namespace PaySim.Benchmarks.Micro.Engine;

/// <summary>
/// The engine's per-iteration bookkeeping (read the clock twice, record into the scenario's
/// HdrHistogram recorder and counters; with the open-model schedule lookup and the start lag, a third
/// clock read and the per-second maximum) against the least a hand-written harness can do: two clock
/// reads and a store into an array.
/// Target (issue 5): schedule + record under 1 µs, zero allocations.
/// </summary>
[MemoryDiagnoser]
public class RecordPathBenchmarks
{
    private const int Mask = 4095;
    private static readonly Response Ok = Response.Ok();
    private readonly long[] _samples = new long[Mask + 1];
    private readonly double _ticksToMicros = 1_000_000.0 / Stopwatch.Frequency;
    private ScenarioCollector _collector = null!;
    private ArrivalSchedule _schedule = null!;
    private int _i;
    private long _k;

    [GlobalSetup]
    public void Setup()
    {
        _collector = new ScenarioCollector("bench");

        // A schedule long enough that no benchmark run reaches its end.
        _schedule = ArrivalSchedule.Build([LoadSimulation.Inject(1_000_000, TimeSpan.FromSeconds(1), TimeSpan.FromDays(30))], seed: 42);
    }

    [Benchmark(Baseline = true, Description = "Stopwatch + array")]
    public long StopwatchAndArray()
    {
        var start = Stopwatch.GetTimestamp();
        var end = Stopwatch.GetTimestamp();
        _samples[_i++ & Mask] = end - start;
        return end;
    }

    [Benchmark(Description = "engine record")]
    public long EngineRecord()
    {
        var start = Stopwatch.GetTimestamp();
        var end = Stopwatch.GetTimestamp();
        _collector.Record(Ok, (long)((end - start) * _ticksToMicros));
        return end;
    }

    [Benchmark(Description = "engine schedule + record")]
    public long EngineScheduleAndRecord()
    {
        _schedule.TryGetArrival(_k++, out var due);
        var intended = Stopwatch.GetTimestamp();
        var start = Stopwatch.GetTimestamp();
        _collector.RecordStartLag((long)((start - intended) * _ticksToMicros));
        var end = Stopwatch.GetTimestamp();
        _collector.Record(Ok, (long)((end - start) * _ticksToMicros));
        return end + (long)due;
    }
}

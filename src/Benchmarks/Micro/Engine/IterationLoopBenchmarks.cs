using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using PaySim.LoadEngine;

namespace PaySim.Benchmarks.Micro.Engine;

/// <summary>
/// The whole closed-model loop of the engine around a scenario that does nothing (one copy,
/// <see cref="Iterations"/> iterations per invoke, runner start-up amortised over them), against
/// a hand-written loop that awaits the same delegate and stores its latency in an array; and the engine's loop with a
/// per-request observer that does nothing (<c>--out json</c>'s hook), to show what the hook costs when on and that
/// the loop without one allocates no more than before it existed.
/// </summary>
[MemoryDiagnoser]
public class IterationLoopBenchmarks
{
    private const int Iterations = 100_000;
    private static readonly Task<Response> Done = Task.FromResult(Response.Ok());
    private readonly long[] _samples = new long[Iterations];
    private readonly NoopObserver _observer = new();
    private ScenarioProps _scenario = null!;

    [GlobalSetup]
    public void Setup()
    {
        _scenario = Scenario.Create("noop", static _ => Done)
            .WithLoadSimulations(LoadSimulation.Iterations(1, Iterations));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Iterations, Description = "hand-written await loop")]
    public async Task<long> HandWrittenLoop()
    {
        Func<IScenarioContext?, Task<Response>> run = static _ => Done;
        long ok = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var response = await run(null);
            _samples[i] = Stopwatch.GetTimestamp() - start;
            ok += response.IsOk ? 1 : 0;
        }

        return ok;
    }

    [Benchmark(OperationsPerInvoke = Iterations, Description = "engine closed loop")]
    public async Task<long> EngineClosedLoop()
    {
        var result = await LoadTestRunner.RegisterScenarios(_scenario).WithProgress(false).RunAsync();
        return result.Scenarios[0].Ok;
    }

    [Benchmark(OperationsPerInvoke = Iterations, Description = "engine closed loop, no-op request observer")]
    public async Task<long> EngineClosedLoopWithObserver()
    {
        var result = await LoadTestRunner.RegisterScenarios(_scenario).WithProgress(false).WithRequestObserver(_observer).RunAsync();
        return result.Scenarios[0].Ok + _observer.Seen;
    }

    private sealed class NoopObserver : IRequestObserver
    {
        public long Seen;

        public void OnRequest(in RequestSample sample) => Seen++;
    }
}

using BenchmarkDotNet.Attributes;
using PaySim.Benchmarks.Fixtures;
using PaySim.Simulator.Faults.Engine;
using PaySim.Simulator.Faults.Rules;

namespace PaySim.Benchmarks.Micro.Simulator;

/// <summary>
/// The per-call fault decision for an Authorize on issuer-1 with 0, 10, 100 or 5,000 loaded rules of
/// which none fires (<see cref="IdleFaultRules"/>), against the same call on an engine with no
/// rules. Target (issue 4): under 200 ns with 100 rules, nothing allocated.
/// </summary>
[MemoryDiagnoser]
public class FaultDecisionBenchmarks
{
    private readonly FaultRequest _request = new("issuer-1", "Authorize", headers: null, pan: "6299990000000000", amountMinor: 100);
    private FaultEngine _empty = null!;
    private FaultEngine _loaded = null!;

    [Params(0, 10, 100, 5_000)]
    public int Rules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _empty = new FaultEngine(new FaultEngineOptions { Context = FaultRuleContext.ForIssuers(3) });
        _loaded = new FaultEngine(new FaultEngineOptions { Context = FaultRuleContext.ForIssuers(3) });
        if (Rules > 0)
        {
            _loaded.Apply(IdleFaultRules.Json(Rules));
        }

        if (!_loaded.Decide(in _request).IsNone)
        {
            throw new InvalidOperationException("an idle rule fired; the benchmark would measure an injection");
        }
    }

    [Benchmark(Baseline = true, Description = "no rules")]
    public int NoRules() => _empty.Decide(in _request).Injections;

    [Benchmark(Description = "Decide, idle rules")]
    public int Decide() => _loaded.Decide(in _request).Injections;
}

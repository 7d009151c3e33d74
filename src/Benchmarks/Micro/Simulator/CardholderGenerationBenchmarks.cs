using BenchmarkDotNet.Attributes;
using Bogus;
using PaySim.Simulator.Cardholders;

namespace PaySim.Benchmarks.Micro.Simulator;

/// <summary>
/// One deterministic cardholder (index-seeded, so any one can be regenerated alone), against
/// Bogus itself producing only a name from a fresh per-index randomizer, the least the
/// generator must do.
/// </summary>
[MemoryDiagnoser]
public class CardholderGenerationBenchmarks
{
    private readonly Faker _faker = new("zh_CN");
    private CardholderGenerator _generator = null!;
    private int _i;

    [GlobalSetup]
    public void Setup() => _generator = new CardholderGenerator(42);

    [Benchmark(Baseline = true, Description = "Bogus name only")]
    public string BogusName()
    {
        _faker.Random = new Randomizer(CardholderGenerator.IndexSeed(42, _i++));
        return _faker.Name.LastName() + _faker.Name.FirstName();
    }

    [Benchmark(Description = "CardholderGenerator.Generate")]
    public object Generate() => _generator.Generate(_i++);
}

using BenchmarkDotNet.Attributes;
using PaySim.Simulator.Cardholders;

namespace PaySim.Benchmarks.Micro.Simulator;

/// <summary>
/// GB 11643 check digit and full validation (region, birth date, check digit) of generated
/// 18-digit resident IDs, against a plain digit sum over the same 17 digits.
/// </summary>
[MemoryDiagnoser]
public class ResidentIdBenchmarks
{
    private const int Mask = 1023;
    private string[] _ids = [];
    private int _i;

    [GlobalSetup]
    public void Setup() =>
        _ids = new CardholderGenerator(42, zhCnShare: 1.0).GenerateMany(Mask + 1).Select(c => c.IdNumber).ToArray();

    [Benchmark(Baseline = true, Description = "digit sum (floor)")]
    public int DigitSum()
    {
        var id = _ids[_i++ & Mask];
        var sum = 0;
        for (var k = 0; k < 17; k++)
        {
            sum += id[k] - '0';
        }

        return sum;
    }

    [Benchmark(Description = "ResidentId.CheckDigit")]
    public char CheckDigit() => ResidentId.CheckDigit(_ids[_i++ & Mask]);

    [Benchmark(Description = "ResidentId.IsValid")]
    public bool IsValid() => ResidentId.IsValid(_ids[_i++ & Mask]);
}

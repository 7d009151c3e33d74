using BenchmarkDotNet.Attributes;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Cards;

namespace PaySim.Benchmarks.Micro.Simulator;

/// <summary>
/// Luhn validation and check digit of generated PANs, against the floor of touching every digit
/// once (a plain digit sum over the same strings).
/// </summary>
[MemoryDiagnoser]
public class LuhnBenchmarks
{
    private const int Mask = 1023;
    private string[] _pans = [];
    private int _i;

    [GlobalSetup]
    public void Setup() =>
        _pans = new CardholderGenerator(42).GenerateMany(Mask + 1).Select(c => c.Pan).ToArray();

    [Benchmark(Baseline = true, Description = "digit sum (floor)")]
    public int DigitSum()
    {
        var pan = _pans[_i++ & Mask];
        var sum = 0;
        foreach (var c in pan)
        {
            sum += c - '0';
        }

        return sum;
    }

    [Benchmark(Description = "Luhn.IsValid")]
    public bool IsValid() => Luhn.IsValid(_pans[_i++ & Mask]);

    [Benchmark(Description = "Luhn.CheckDigit")]
    public char CheckDigit()
    {
        var pan = _pans[_i++ & Mask];
        return Luhn.CheckDigit(pan.AsSpan(0, pan.Length - 1));
    }
}

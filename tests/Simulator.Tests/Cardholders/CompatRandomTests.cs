using PaySim.Simulator.Cardholders;

namespace PaySim.Simulator.Tests.Cardholders;

/// <summary>
/// CompatRandom must draw what System.Random draws for the same seed, call for call: cardholder #i is
/// pinned by the golden hashes, and every draw of it goes through this generator.
/// </summary>
public sealed class CompatRandomTests
{
    public static TheoryData<bool> Seeding => new() { true, false };

    private static readonly int[] EdgeSeeds =
    [
        0, 1, -1, 2, 21, 55, 56, 161_803_397, 161_803_398, 161_803_399, -161_803_398,
        int.MaxValue, int.MaxValue - 1, int.MinValue, int.MinValue + 1, 1_000_000_000, -1_000_000_000,
    ];

    [Theory]
    [MemberData(nameof(Seeding))]
    public void EverySeededDraw_IsSystemRandoms(bool vectorized)
    {
        var seeds = new Random(12345);
        var calls = new Random(678);
        var all = EdgeSeeds.Concat(Enumerable.Range(0, 3_000).Select(_ => seeds.Next(int.MinValue, int.MaxValue)))
            .Concat(Enumerable.Range(0, 500).Select(i => CardholderGenerator.IndexSeed(42, i)));
        foreach (var seed in all)
        {
            var expected = new Random(seed);
            var actual = new CompatRandom(seed, vectorized);

            // More than 56 draws, so the state's indices wrap around, in a mix of every kind of call.
            for (var i = 0; i < 150; i++)
            {
                switch (calls.Next(6))
                {
                    case 0:
                        Assert.Equal(expected.Next(), actual.Next());
                        break;
                    case 1:
                        var max = Pick(calls, 0, 1, 2, 10, 500, 16_436, int.MaxValue);
                        Assert.Equal(expected.Next(max), actual.Next(max));
                        break;
                    case 2:
                        var (low, high) = PickRange(calls);
                        Assert.Equal(expected.Next(low, high), actual.Next(low, high));
                        break;
                    case 3:
                        // A range wider than int.MaxValue takes two samples (GetSampleForLargeRange).
                        var (wideLow, wideHigh) = Pick(calls, (int.MinValue, int.MaxValue), (-2, int.MaxValue), (int.MinValue, 1));
                        Assert.Equal(expected.Next(wideLow, wideHigh), actual.Next(wideLow, wideHigh));
                        break;
                    default:
                        Assert.Equal(expected.NextDouble(), actual.NextDouble());
                        break;
                }
            }
        }
    }

    [Fact]
    public void InvalidBounds_ThrowAsSystemRandomDoes()
    {
        var r = new CompatRandom(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompatRandom(1).Next(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompatRandom(1).Next(2, 1));
        Assert.Equal(new Random(1).Next(3, 3), r.Next(3, 3));
    }

    private static (int, int) PickRange(Random calls) =>
        Pick(calls, (0, 10), (1, 13), (16, 25), (30, 36), (0, 1), (5, 5), (-100, 100), (1_000, 50_001), (0, int.MaxValue));

    private static T Pick<T>(Random calls, params T[] options) => options[calls.Next(options.Length)];
}

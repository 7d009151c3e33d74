using PaySim.Wallet.Balancing;

namespace PaySim.Wallet.Tests.Balancing;

public sealed class SeededRandomTests
{
    [Fact]
    public void Next_SameSeed_ReplaysTheSameSequence()
    {
        var a = new SeededRandom(7);
        var b = new SeededRandom(7);

        Assert.Equal(Enumerable.Range(0, 100).Select(_ => a.Next(3)), Enumerable.Range(0, 100).Select(_ => b.Next(3)));
    }

    [Fact]
    public void Next_SpreadsEvenlyOverThreeNodes()
    {
        var random = new SeededRandom(1);
        var counts = new int[3];
        for (var i = 0; i < 30_000; i++)
        {
            counts[random.Next(3)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }
}

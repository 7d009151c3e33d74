namespace PaySim.LoadEngine.Tests.Feeds;

public sealed class DataFeedTests
{
    private static readonly IScenarioContext NoContext = null!;

    [Fact]
    public void Circular_CyclesThroughTheItemsInOrder()
    {
        var feed = DataFeed.Circular(["a", "b", "c"]);

        Assert.Equal(["a", "b", "c", "a", "b"], Enumerable.Range(0, 5).Select(_ => feed.GetNextItem(NoContext)));
    }

    [Fact]
    public void Random_WithTheSameSeed_DrawsTheSameSequence_AndCoversTheItems()
    {
        var items = Enumerable.Range(0, 10).ToArray();
        var a = DataFeed.Random(items, seed: 5);
        var b = DataFeed.Random(items, seed: 5);

        var drawsA = Enumerable.Range(0, 1000).Select(_ => a.GetNextItem(NoContext)).ToArray();
        var drawsB = Enumerable.Range(0, 1000).Select(_ => b.GetNextItem(NoContext)).ToArray();

        Assert.Equal(drawsA, drawsB);
        Assert.Equal(10, drawsA.Distinct().Count());
        Assert.All(drawsA.GroupBy(x => x), g => Assert.InRange(g.Count(), 50, 150));
    }

    [Fact]
    public void Once_GivesEachItemOnce_ThenIsExhausted()
    {
        var feed = DataFeed.Once([1, 2]);

        Assert.Equal(1, feed.GetNextItem(NoContext));
        Assert.True(feed.TryGetNextItem(NoContext, out var second));
        Assert.Equal(2, second);
        Assert.False(feed.TryGetNextItem(NoContext, out _));
        Assert.Throws<InvalidOperationException>(() => feed.GetNextItem(NoContext));
    }

    [Fact]
    public void ClientPool_GivesACopyTheSameClient_AndRoundRobinsWithoutAContext()
    {
        using var pool = ClientPool<string>.Create(3, i => $"client{i}");

        Assert.Equal(["client0", "client1", "client2", "client0"], Enumerable.Range(0, 4).Select(_ => pool.Next()));
        Assert.Equal(3, pool.Count);
    }

    [Fact]
    public void EmptyFeed_IsAConfigError()
    {
        Assert.Throws<LoadConfigException>(() => DataFeed.Circular(Array.Empty<int>()));
    }
}

using PaySim.LoadEngine;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Sharding;

namespace PaySim.LoadTests.Tests.Sharding;

public sealed class ShardSpecTests
{
    [Theory]
    [InlineData("1/1", 1, 1)]
    [InlineData("2/3", 2, 3)]
    [InlineData("4/4", 4, 4)]
    public void Parse_AcceptsIOverNWithIBetweenOneAndN(string text, int index, int count) =>
        Assert.Equal(new ShardSpec(index, count), ShardSpec.Parse(text));

    [Theory]
    [InlineData("0/2")]
    [InlineData("3/2")]
    [InlineData("x")]
    [InlineData("1/0")]
    [InlineData("-1/2")]
    [InlineData("1/2/3")]
    public void Parse_RefusesAnythingElseNamingTheFlag(string text)
    {
        var ex = Assert.Throws<PlanException>(() => ShardSpec.Parse(text));
        Assert.StartsWith("--shard:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Share_OfFiveCopiesOverTwoShards_IsThreeAndTwo()
    {
        Assert.Equal(3, new ShardSpec(1, 2).Share(5));
        Assert.Equal(2, new ShardSpec(2, 2).Share(5));
    }

    [Theory]
    [InlineData(0L, 3)]
    [InlineData(1L, 3)]
    [InlineData(1001L, 7)]
    [InlineData(12L, 5)]
    public void Shares_OfAllShards_AddUpToTheWhole(long total, int n) =>
        Assert.Equal(total, Enumerable.Range(1, n).Sum(i => new ShardSpec(i, n).Share(total)));

    [Fact]
    public void Partition_GivesEveryItemToExactlyOneShard_ByPositionModN()
    {
        var items = Enumerable.Range(0, 10).ToArray();

        var parts = Enumerable.Range(1, 3).Select(i => new ShardSpec(i, 3).Partition(items, offset: 0)).ToArray();

        Assert.Equal([0, 3, 6, 9], parts[0]);
        Assert.Equal([1, 4, 7], parts[1]);
        Assert.Equal([2, 5, 8], parts[2]);
        Assert.Equal(items, parts.SelectMany(p => p).Order());
    }

    [Fact]
    public void Partition_CountsPositionsFromTheOffset_SoAFeedFetchedLaterStaysDisjoint()
    {
        // Items 0..3 of a feed fetched at offset 5 are the cardholders at absolute positions 5..8.
        Assert.Equal(["b", "d"], new ShardSpec(1, 2).Partition(["a", "b", "c", "d"], offset: 5));
    }

    [Fact]
    public void Split_OfOpenPhases_DividesRatesExactly()
    {
        var phase = LoadSimulation.Inject(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

        var parts = Enumerable.Range(1, 3).Select(i => PlanSharder.Split(phase, new ShardSpec(i, 3))).ToArray();

        Assert.All(parts, p => Assert.Equal(LoadSimulationKind.Inject, p.Kind));
        Assert.Equal(10.0, parts.Sum(p => p.Rate), 9);
        Assert.All(parts, p => Assert.Equal(phase.During, p.During));
    }

    [Fact]
    public void Split_OfClosedPhases_DividesCopiesAndIterationsSoTheShardsAddUpToThePlan()
    {
        var keep = LoadSimulation.KeepConstant(5, TimeSpan.FromSeconds(10));
        var iterations = LoadSimulation.Iterations(3, 101);
        var shards = new[] { new ShardSpec(1, 2), new ShardSpec(2, 2) };

        Assert.Equal([3, 2], shards.Select(s => PlanSharder.Split(keep, s).Copies));
        Assert.Equal(101, shards.Sum(s => PlanSharder.Split(iterations, s).IterationCount));
        Assert.Equal([51L, 50L], shards.Select(s => PlanSharder.Split(iterations, s).IterationCount));
    }

    [Fact]
    public void Split_LeavingAShardNoCopies_PausesItInsteadOfRunningAnExtraCopy()
    {
        var keep = LoadSimulation.KeepConstant(1, TimeSpan.FromSeconds(10));

        var second = PlanSharder.Split(keep, new ShardSpec(2, 2));

        Assert.Equal(LoadSimulationKind.Pause, second.Kind);
        Assert.Equal(TimeSpan.FromSeconds(10), second.During);
    }
}

using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Sharding;
using PaySim.LoadTests.Tests.Cli;
using PaySim.LoadTests.Tests.Deploy;

namespace PaySim.LoadTests.Tests.Sharding;

/// <summary>
/// A --shard whose share of the load is nothing would judge nothing (exit 3, or a failing claim over no value) while the
/// shards together run the plan, so it is refused before anything starts (exit 2), naming the flag and the most shards
/// that give every shard load.
/// </summary>
public sealed class EmptyShardTests
{
    private const string OneCopy = """
        {"name": "cl", "duration": "3s", "warmUp": "0s", "target": {"embedded": {"nodes": 3, "walletInstances": 1}}, "personas": {"healthy": 1}, "preboundCards": 2,
         "scenarios": [{"name": "history", "load": [{"kind": "keepConstant", "copies": 1, "during": "3s"}]}], "claims": ["success_rate >= 90%"]}
        """;

    [Fact]
    public void AShardGivenNoCopy_IsRefused_NamingTheFlagAndTheMostShards()
    {
        var plan = PlanCompiler.Compile(OneCopy, "cl.json");

        Assert.Same(plan, PlanSharder.Apply(plan, ShardSpec.Whole));
        Assert.NotNull(PlanSharder.Apply(plan, new ShardSpec(1, 2)));
        var ex = Assert.Throws<PlanException>(() => PlanSharder.Apply(plan, new ShardSpec(2, 2)));
        Assert.Equal("--shard 2/2: this shard would get no load (scenario history's 1 copy goes to shard 1); use at most 1 shard for this plan.", ex.Message);
    }

    [Fact]
    public void ThreeCopiesOverFourShards_RefusesShardFour_AndSaysThree()
    {
        var plan = PlanCompiler.Compile(OneCopy.Replace("\"copies\": 1", "\"copies\": 3", StringComparison.Ordinal), "cl.json");

        Assert.NotNull(PlanSharder.Apply(plan, new ShardSpec(3, 3)));
        var ex = Assert.Throws<PlanException>(() => PlanSharder.Apply(plan, new ShardSpec(4, 4)));
        Assert.Equal("--shard 4/4: this shard would get no load (scenario history's 3 copies go to shards 1-3); use at most 3 shards for this plan.", ex.Message);
    }

    [Fact]
    public void AnOpenShareThatStartsNoIterationAfterTheWarmUp_IsRefused_WhileOneProcessWouldStartOne()
    {
        // 0.5/s for 3s (warm-up 300ms, a tenth of it): one process starts at 0s and 2s (one measured); at 0.25/s a shard starts at 0s and 4s (none).
        var plan = PlanCompiler.Compile(File.ReadAllText(RepoPaths.Of("plans", "smoke.json")), "smoke", new PlanOverrides { Rate = 0.5, Duration = TimeSpan.FromSeconds(3) });

        Assert.Null(PlanSharder.NoLoadReason(plan, ShardSpec.Whole));
        foreach (var shard in new[] { new ShardSpec(1, 2), new ShardSpec(2, 2) })
        {
            var ex = Assert.Throws<PlanException>(() => PlanSharder.Apply(plan, shard));
            Assert.Equal($"--shard {shard}: this shard would get no load (scenario journey's 0.5/s over 2 shards is 0.25/s here, which starts no iteration between the 300ms warm-up and the 3s end); use at most 1 shard for this plan.", ex.Message);
        }
    }

    [Fact]
    public void AnOpenShareThatStartsOneIteration_RunsThatShare()
    {
        // 2/s for 3s (warm-up 300ms) over 5 shards: 0.4/s each starts at 0s and 2.5s, one measured; over 6, 0.333/s starts at 0s and would next at 3s, the end.
        var plan = PlanCompiler.Compile(File.ReadAllText(RepoPaths.Of("plans", "smoke.json")), "smoke", new PlanOverrides { Rate = 2, Duration = TimeSpan.FromSeconds(3) });

        Assert.NotNull(PlanSharder.Apply(plan, new ShardSpec(5, 5)));
        var ex = Assert.Throws<PlanException>(() => PlanSharder.Apply(plan, new ShardSpec(6, 6)));
        Assert.EndsWith("use at most 5 shards for this plan.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_OfAnEmptyShard_ExitsTwo_WithTheOneLine()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("run", "--plan", "smoke", "--rate", "0.5", "--duration", "3s", "--shard", "2/2", "--dry-run");

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("--shard 2/2: this shard would get no load", stderr, StringComparison.Ordinal);
    }
}

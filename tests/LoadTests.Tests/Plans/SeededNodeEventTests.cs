using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Tests.Plans;

/// <summary>
/// Issue 15, bug 6: node-loss used to take issuer-2 down on every run, so a wallet wired to issuer-1 alone passed.
/// Its node event is now <c>"node": "seeded"</c>: the run's seed picks the node, and different seeds lose different nodes.
/// </summary>
public sealed class SeededNodeEventTests
{
    private static readonly string[] ThreeNodes = ["issuer-1", "issuer-2", "issuer-3"];

    private static LoadPlan NodeLoss(PlanOverrides overrides)
    {
        var (json, source) = PlanCatalog.Resolve("node-loss");
        return PlanCompiler.Compile(json, source, overrides);
    }

    [Fact]
    public void NodeLoss_DifferentSeedsLoseDifferentNodes_AndEveryNodeForSomeSeed()
    {
        var lost = Enumerable.Range(0, 6).Select(seed => Assert.Single(NodeLoss(new PlanOverrides { Seed = seed }).NodeEvents)).ToArray();

        Assert.Equal(["issuer-1", "issuer-2", "issuer-3", "issuer-1", "issuer-2", "issuer-3"], lost.Select(e => e.Node));
        Assert.All(lost, e => Assert.Equal((NodeEventState.Down, true, false), (e.State, e.Seeded, e.AwaitsPick)));
        // The default seed (42) loses issuer-1, no longer issuer-2; the same seed always loses the same node.
        Assert.Equal("issuer-1", Assert.Single(NodeLoss(new PlanOverrides()).NodeEvents).Node);
        Assert.Equal("issuer-2", Assert.Single(NodeLoss(new PlanOverrides { Seed = 7 }).NodeEvents).Node);
        Assert.Equal("issuer-2", Assert.Single(NodeLoss(new PlanOverrides { Seed = 7 }).NodeEvents).Node);
    }

    [Theory]
    [InlineData(0, 0, "issuer-1")]
    [InlineData(2, 0, "issuer-3")]
    [InlineData(3, 0, "issuer-1")]
    [InlineData(-1, 0, "issuer-3")]
    [InlineData(int.MaxValue, 1, "issuer-3")]
    [InlineData(2, 1, "issuer-1")]
    public void Pick_IsTheSeedPlusTheEventsRankModuloTheNodes(int seed, int k, string node)
    {
        Assert.Equal(node, NodeEventCompiler.Pick(seed, k, ThreeNodes));
    }

    [Fact]
    public void Pick_OrdersNodesByNumber_NotAsText()
    {
        string[] twelve = [.. Enumerable.Range(1, 12).Select(i => $"issuer-{i}").Reverse()];

        Assert.Equal("issuer-2", NodeEventCompiler.Pick(1, 0, twelve));
        Assert.Equal("issuer-10", NodeEventCompiler.Pick(9, 0, twelve));
    }

    [Fact]
    public void TwoSeededEvents_LoseDifferentNodes_AndNamedOnesStayAsWritten()
    {
        var plan = PlanCompiler.Compile("""
            { "name": "t", "duration": "40s", "rate": 5, "seed": 4, "scenarios": [ { "name": "payment" } ],
              "nodeEvents": [ { "node": "seeded", "state": "down", "start": "5s", "duration": "5s" },
                              { "node": "issuer-3", "state": "notServing", "start": "12s", "duration": "5s" },
                              { "node": "seeded", "state": "down", "start": "20s", "duration": "5s" } ] }
            """, "t");

        Assert.Equal([("issuer-2", true), ("issuer-3", false), ("issuer-3", true)], plan.NodeEvents.Select(e => (e.Node, e.Seeded)));
    }

    [Fact]
    public void AnExternalTarget_PicksOnceItsNodesAreKnown()
    {
        var plan = NodeLoss(new PlanOverrides { Seed = 1, WalletUrls = [new Uri("http://127.0.0.1:7300")], SimulatorUrl = new Uri("http://127.0.0.1:7000") });
        var waiting = Assert.Single(plan.NodeEvents);

        var picked = Assert.Single(NodeEventCompiler.Resolve(plan.NodeEvents, ["issuer-2", "issuer-1", "issuer-3"], plan.Seed));

        Assert.Equal((NodeEvent.SeededNode, true), (waiting.Node, waiting.AwaitsPick));
        Assert.Equal(("issuer-2", false), (picked.Node, picked.AwaitsPick));
        Assert.Equal((waiting.State, waiting.Start, waiting.Duration), (picked.State, picked.Start, picked.Duration));
    }

    [Fact]
    public void AnUnknownNode_IsRefusedListingSeededAmongTheAllowed()
    {
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile("""
            { "rate": 1, "scenarios": [ { "name": "payment" } ], "nodeEvents": [ { "node": "issuer-9", "state": "down" } ] }
            """, "t"));

        Assert.Equal("plan t: nodeEvents[0].node: \"issuer-9\" is not a node of the embedded cluster; allowed: issuer-1, issuer-2, issuer-3, seeded.", ex.Message);
    }
}

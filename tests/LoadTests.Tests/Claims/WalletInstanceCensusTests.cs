using System.Text.Json.Nodes;
using PaySim.LoadTests.Claims;

namespace PaySim.LoadTests.Tests.Claims;

/// <summary>
/// Issue 15, bug 1: wallet fairness counts every instance the run was given, at zero when it never answered,
/// not only the names seen in X-Served-By (one instance answering everything must not score Jain 1.0).
/// </summary>
public sealed class WalletInstanceCensusTests
{
    private const string UrlA = "http://127.0.0.1:7300/";
    private const string UrlB = "http://127.0.0.1:7301/";

    [Fact]
    public void Embedded_OneInstanceAnsweredEverything_TheOtherCountsAtZero()
    {
        GivenWalletInstance[] given = [new(UrlA, "wallet-1"), new(UrlB, "wallet-2")];

        var counted = WalletInstanceCensus.Count(given, Replies(("wallet-1", 300)), null);

        Assert.Equal(["wallet-1", "wallet-2"], counted.Select(w => w.Name));
        Assert.Equal([300L, 0L], counted.Select(w => w.Replies));
        Assert.Equal([true, false], counted.Select(w => w.Answered));
        Assert.Equal([UrlB], counted[1].Urls);
        var replies = counted.Select(w => w.Replies).ToArray();
        Assert.Equal(0.5, Fairness.Jain(replies), 12);
        Assert.Equal(1.0, Fairness.MaxShare(replies), 12);
    }

    [Fact]
    public void Embedded_AnInstanceThatAnsweredOnlyBeforeTheRun_CountsOnceAtZero()
    {
        GivenWalletInstance[] given = [new(UrlA, "wallet-1"), new(UrlB, "wallet-2")];

        var counted = WalletInstanceCensus.Count(given, Replies(("wallet-1", 120), ("wallet-2", 0)), null);

        Assert.Equal(2, counted.Count);
        Assert.Equal(0, counted.Single(w => w.Name == "wallet-2").Replies);
        Assert.True(counted.Single(w => w.Name == "wallet-2").Answered);
    }

    [Fact]
    public void ExternalUrls_AUrlNoReplyNamed_CountsAtZeroUnderItsUrl()
    {
        GivenWalletInstance[] given = [new(UrlA, null), new(UrlB, null)];
        var through = Through(("wallet-a", [UrlA]));

        var counted = WalletInstanceCensus.Count(given, Replies(("wallet-a", 250)), through);

        Assert.Equal([UrlB, "wallet-a"], counted.Select(w => w.Name));
        Assert.Equal(0, counted[0].Replies);
        Assert.False(counted[0].Answered);
        Assert.Equal([UrlA], counted[1].Urls);
        Assert.Equal(0.5, Fairness.Jain(counted.Select(w => w.Replies).ToArray()), 12);
    }

    [Fact]
    public void ExternalUrls_EveryUrlNamedItself_NothingIsAdded()
    {
        GivenWalletInstance[] given = [new(UrlA, null), new(UrlB, null)];

        var counted = WalletInstanceCensus.Count(given, Replies(("wallet-a", 100), ("wallet-b", 60)), Through(("wallet-a", [UrlA]), ("wallet-b", [UrlB])));

        Assert.Equal([100L, 60L], counted.Select(w => w.Replies));
        Assert.All(counted, w => Assert.True(w.Answered));
    }

    [Fact]
    public void OneUrlInFrontOfABalancer_CountsEveryNameBehindIt()
    {
        GivenWalletInstance[] given = [new(UrlA, null)];

        var counted = WalletInstanceCensus.Count(given, Replies(("wallet-1", 100), ("wallet-2", 100)), Through(("wallet-1", [UrlA]), ("wallet-2", [UrlA])));

        Assert.Equal(["wallet-1", "wallet-2"], counted.Select(w => w.Name));
        Assert.Equal(1.0, Fairness.Jain(counted.Select(w => w.Replies).ToArray()), 12);
    }

    [Fact]
    public void AdapterThatCannotSayWhichUrlAnswered_FewerNamesThanUrls_AddsTheMissingInstanceAtZero()
    {
        GivenWalletInstance[] given = [new(UrlA, null), new(UrlB, null), new("http://127.0.0.1:7302/", null)];

        var counted = WalletInstanceCensus.Count(given, Replies(("wallet-a", 90), ("wallet-b", 90)), null);

        Assert.Equal(["no-reply-1", "wallet-a", "wallet-b"], counted.Select(w => w.Name));
        Assert.Equal([0L, 90L, 90L], counted.Select(w => w.Replies));
        Assert.Equal(2.0 / 3, Fairness.Jain(counted.Select(w => w.Replies).ToArray()), 12);
    }

    [Fact]
    public void Merge_AnInstanceOneShardNeverReachedButAnotherDid_IsCountedOnceWithItsReplies()
    {
        var target = new JsonObject
        {
            ["walletUrls"] = new JsonArray(UrlA, UrlB),
            ["walletInstanceNames"] = new JsonArray(null, null),
        };
        var shard1 = new JsonArray(
            Entry("wallet-a", 200, true, UrlA),
            Entry(UrlB, 0, false, UrlB));
        var shard2 = new JsonArray(
            Entry("wallet-a", 100, true, UrlA),
            Entry("wallet-b", 50, true, UrlB));

        var merged = WalletInstanceCensus.Merge([shard1, shard2], target);

        Assert.Equal(["wallet-a", "wallet-b"], merged.Select(w => w.Name));
        Assert.Equal([300L, 50L], merged.Select(w => w.Replies));
    }

    [Fact]
    public void Merge_AnInstanceNoShardReached_StaysAtZero()
    {
        var target = new JsonObject { ["walletUrls"] = new JsonArray(UrlA, UrlB), ["walletInstanceNames"] = new JsonArray(null, null) };
        var shard = new JsonArray(Entry("wallet-a", 200, true, UrlA), Entry(UrlB, 0, false, UrlB));

        var merged = WalletInstanceCensus.Merge([shard, (JsonArray)shard.DeepClone()], target);

        Assert.Equal([UrlB, "wallet-a"], merged.Select(w => w.Name));
        Assert.Equal([0L, 400L], merged.Select(w => w.Replies));
        Assert.Equal(0.5, Fairness.Jain(merged.Select(w => w.Replies).ToArray()), 12);
    }

    private static Dictionary<string, long> Replies(params (string Name, long Replies)[] replies) =>
        replies.ToDictionary(r => r.Name, r => r.Replies, StringComparer.Ordinal);

    private static Dictionary<string, IReadOnlyCollection<string>> Through(params (string Name, string[] Urls)[] names) =>
        names.ToDictionary(n => n.Name, n => (IReadOnlyCollection<string>)n.Urls, StringComparer.Ordinal);

    private static JsonObject Entry(string name, long replies, bool answered, string url) => new()
    {
        ["name"] = name,
        ["replies"] = replies,
        ["answered"] = answered,
        ["urls"] = new JsonArray(url),
    };
}

using PaySim.Simulator.State.Redis;

namespace PaySim.Simulator.Tests.State;

[Collection(RedisCollection.Name)]
public sealed class RedisSharedDocumentTests(RedisServerFixture redis)
{
    [ToolFact(ExternalTools.RedisServer)]
    public async Task A_document_published_by_one_process_reaches_the_others_of_its_cluster_only()
    {
        var cluster = RedisTestIssuer.NewCluster();
        using var connectionB = redis.Connect();
        using var connectionOther = redis.Connect();
        var seenByA = new List<string>();
        var seenByB = new TaskCompletionSource<(string Json, long Version)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var seenByOther = 0;
        using var a = new RedisSharedDocument(redis.Connection!, new RedisKeys(cluster), "faults", (json, _) => seenByA.Add(json));
        using var b = new RedisSharedDocument(connectionB, new RedisKeys(cluster), "faults", (json, v) => seenByB.TrySetResult((json, v)));
        using var other = new RedisSharedDocument(connectionOther, new RedisKeys(RedisTestIssuer.NewCluster()), "faults", (_, _) => Interlocked.Increment(ref seenByOther));

        var version = a.Publish("""[{"name":"slow"}]""");
        var got = await seenByB.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(("""[{"name":"slow"}]""", version), got);
        Assert.Equal(("""[{"name":"slow"}]""", version), b.Read());
        Assert.Empty(seenByA);
        Assert.Equal(0, seenByOther);
        Assert.Equal((null, 0L), other.Read());
    }

    [ToolFact(ExternalTools.RedisServer)]
    public async Task Updates_racing_from_two_processes_keep_every_change_and_each_gets_its_own_version()
    {
        var cluster = RedisTestIssuer.NewCluster();
        using var connectionB = redis.Connect();
        using var a = new RedisSharedDocument(redis.Connection!, new RedisKeys(cluster), "nodes", (_, _) => { });
        using var b = new RedisSharedDocument(connectionB, new RedisKeys(cluster), "nodes", (_, _) => { });

        // Each update appends one line to what it read; a lost update would drop a line.
        var writers = new[] { a, b }.Select((doc, w) => Task.Run(() => Enumerable.Range(0, 50).Select(i => doc.Update(current => (current ?? "") + $"{w}:{i}\n").Version).ToList())).ToArray();
        var versions = (await Task.WhenAll(writers)).SelectMany(v => v).ToList();

        var (json, last) = a.Read();
        Assert.Equal(100, json!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(100, versions.Distinct().Count());
        Assert.Equal(100L, last);
    }
}

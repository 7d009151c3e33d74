using StackExchange.Redis;

namespace PaySim.Simulator.State.Redis;

/// <summary>Deletes keys by pattern with SCAN (never KEYS), on every primary the connection knows.</summary>
internal static class RedisKeyspace
{
    public static long Delete(IConnectionMultiplexer redis, string pattern, Func<RedisKey, bool>? keep = null)
    {
        var db = redis.GetDatabase();
        long deleted = 0;
        foreach (var server in redis.GetServers())
        {
            if (server.IsReplica || !server.IsConnected)
            {
                continue;
            }

            var batch = new List<RedisKey>(500);
            foreach (var key in server.Keys(db.Database, pattern, pageSize: 1000))
            {
                if (keep is not null && keep(key))
                {
                    continue;
                }

                batch.Add(key);
                if (batch.Count == 500)
                {
                    deleted += db.KeyDelete([.. batch]);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                deleted += db.KeyDelete([.. batch]);
            }
        }

        return deleted;
    }

    public static RedisResult[] Array(RedisResult result) => (RedisResult[])result!;
}

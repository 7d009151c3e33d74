using StackExchange.Redis;

namespace PaySim.Simulator.State.Redis;

/// <summary>How the simulator connects to its state Redis.</summary>
internal static class RedisConnection
{
    /// <summary>Worker threads the pool hands out without its ~2-per-second starvation ramp.</summary>
    public const int MinWorkerThreads = 128;

    public static ConfigurationOptions Options(string endpoint)
    {
        var config = ConfigurationOptions.Parse(endpoint);
        config.AbortOnConnectFail = true;
        config.ConnectTimeout = 5000;
        // A refused connection is final at start-up; the default retries turn "nothing listening" into a 10 s wait.
        config.ConnectRetry = 1;
        return config;
    }

    /// <summary>
    /// The stores are synchronous (so are the interfaces) and StackExchange.Redis 3 reads replies on the
    /// thread pool, so every request thread blocked on Redis needs another pool thread to wake it. With the
    /// pool's default minimum (the core count) a burst of concurrent calls waits for the pool's slow
    /// thread injection: measured here, 200 concurrent calls on 2 cores took 6 s instead of 50 ms. Raising
    /// the minimum (never lowering it) is the documented remedy for sync-over-async clients.
    /// </summary>
    public static IConnectionMultiplexer Connect(string endpoint)
    {
        ReserveThreads();
        return ConnectionMultiplexer.Connect(Options(endpoint));
    }

    public static void ReserveThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < MinWorkerThreads)
        {
            ThreadPool.SetMinThreads(MinWorkerThreads, Math.Max(io, MinWorkerThreads / 4));
        }
    }
}

namespace PaySim.Simulator.Tests.State;

/// <summary>A fact that needs a real redis-server, skipped with the reason when it is not installed.</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServer.Path is null)
        {
            Skip = RedisServer.SkipReason;
        }
    }
}

using PaySim.Simulator.State.Redis;

namespace PaySim.Simulator.Tests.State;

public sealed class RedisStateOptionsTests
{
    [Theory]
    [InlineData("redis://127.0.0.1:6379", "127.0.0.1:6379")]
    [InlineData("redis://redis.default.svc:6380/", "redis.default.svc:6380")]
    public void A_redis_url_becomes_an_endpoint(string url, string endpoint)
    {
        Assert.True(RedisStateOptions.TryParse(url, out var options, out _));
        Assert.Equal(endpoint, options!.Endpoint);
        Assert.Equal(RedisStateOptions.DefaultCluster, options.Cluster);
    }

    [Theory]
    [InlineData("redis://127.0.0.1")]
    [InlineData("redis://127.0.0.1:70000")]
    [InlineData("memcached://127.0.0.1:11211")]
    public void Anything_else_is_refused_with_the_allowed_values(string url)
    {
        Assert.False(RedisStateOptions.TryParse(url, out _, out var error));
        Assert.Contains("--state", error, StringComparison.Ordinal);
        Assert.Contains(url.Contains("70000", StringComparison.Ordinal) ? "1-65535" : "memory, redis://host:port", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cluster_name_that_would_break_the_key_prefix_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new RedisKeys("a}b"));
        Assert.Equal("paysim:{east-1}:", new RedisKeys("east-1").Root);
    }
}

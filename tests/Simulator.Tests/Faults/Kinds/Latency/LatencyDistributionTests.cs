using PaySim.Simulator.Faults.Kinds.Latency;


namespace PaySim.Simulator.Tests.Faults.Kinds.Latency;

public sealed class LatencyDistributionTests
{
    [Fact]
    public void LogNormal_FromMedianAndP99_HasAboutThatMedianAndP99_AndNeverExceedsMax()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""{ "name": "ln", "latency": { "lognormal": { "median": "100ms", "p99": "1s", "max": "1.5s" } } }""");

        var samples = Enumerable.Range(0, 10_000).Select(_ => engine.Decide("issuer-1", "Authorize").Latency.TotalMilliseconds).Order().ToArray();

        Assert.InRange(samples[5_000], 90, 110);
        Assert.InRange(samples[9_900], 800, 1_250);
        Assert.True(samples[^1] <= 1_500, $"max was {samples[^1]} ms");
        Assert.Contains(1_500, samples);   // the cap is reached: the tail beyond p99 is cut, not rescaled
    }

    [Fact]
    public void Uniform_StaysWithinBounds_AndCoversThem()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""{ "name": "u", "latency": { "uniform": { "min": "10ms", "max": "20ms" } } }""");

        var samples = Enumerable.Range(0, 5_000).Select(_ => engine.Decide("issuer-1", "Authorize").Latency.TotalMilliseconds).ToArray();

        Assert.All(samples, s => Assert.InRange(s, 10, 20));
        Assert.True(samples.Min() < 10.1 && samples.Max() > 19.9);
        Assert.InRange(samples.Average(), 14.7, 15.3);
    }

    [Fact]
    public void Fixed_AlwaysGivesTheSameDelay()
    {
        var distribution = LatencyDistribution.Fixed(TimeSpan.FromMilliseconds(50));

        Assert.Equal(TimeSpan.FromMilliseconds(50), distribution.Sample(0.01, 0.99));
        Assert.Equal(TimeSpan.FromMilliseconds(50), distribution.Sample(0.99, 0.01));
    }
}

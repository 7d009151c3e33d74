namespace PaySim.LoadEngine.Tests.Expressions;

public sealed class ThresholdTests
{
    [Theory]
    [InlineData("p99 < 250ms")]
    [InlineData("p99.9 <= 1s")]
    [InlineData("ok_rate >= 99.5%")]
    [InlineData("ok_rate >= 0.995")]
    [InlineData("rps >= 400")]
    [InlineData("dropped == 0")]
    [InlineData("fail_count <= 10")]
    [InlineData("step:confirm p95 < 300ms")]
    [InlineData("status[503] == 0")]
    [InlineData("mean < 20")]
    public void Create_AcceptsTheDocumentedForms(string text)
    {
        Assert.Equal(text, Threshold.Create(text).Text);
    }

    [Theory]
    [InlineData("latency < 3s", "unknown metric \"latency\"")]
    [InlineData("ok_rate >= 99.5", "is a rate")]
    [InlineData("p99 < 5%", "is a duration")]
    [InlineData("rps >= 400ms", "plain number")]
    [InlineData("step:confirm dropped == 0", "per scenario only")]
    [InlineData("node:a p99 < 1s", "unknown scope")]
    [InlineData("p101 < 1s", "percentile must be in (0, 100]")]
    [InlineData("p99 <", "no number after the operator")]
    [InlineData("p99 < -1", "threshold \"p99 < -1\" can never pass: \"p99\" is 0 or more; give a bound inside that.")]
    [InlineData("fail >= -1", "threshold \"fail >= -1\" always passes: \"fail\" is a whole number, 0 or more")]
    [InlineData("rps > -0.5", "always passes: \"rps\" is 0 or more")]
    [InlineData("ok_rate <= 100%", "always passes: \"ok_rate\" is 0% to 100%")]
    [InlineData("ok_rate >= 0", "always passes: \"ok_rate\" is 0% to 100%")]
    [InlineData("fail_rate > 1", "can never pass: \"fail_rate\" is 0% to 100%")]
    [InlineData("count == 0.5", "can never pass: \"count\" is a whole number, 0 or more")]
    [InlineData("step:pay p99 >= 0ms", "always passes: \"p99\" is 0 or more")]
    public void Create_RefusesAMalformedOrMeaninglessThreshold(string text, string reason)
    {
        var ex = Assert.Throws<LoadConfigException>(() => Threshold.Create(text));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Contains(text, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithThresholds_OfAMalformedString_IsRefusedBeforeAnyRun()
    {
        var scenario = Scenario.Create("s", _ => Task.FromResult(Response.Ok()));

        Assert.Throws<LoadConfigException>(() => scenario.WithThresholds("ok_rate >= 99%", "p99 <<< 3"));
    }
}

namespace PaySim.LoadEngine.Tests.Expressions;

public sealed class ExpressionTests
{
    private static Func<string, double?> Values(params (string Key, double Value)[] values) =>
        key => values.Where(v => v.Key == key).Select(v => (double?)v.Value).FirstOrDefault();

    [Theory]
    [InlineData("p99 < 250ms", "p99", 240.0, true)]
    [InlineData("p99 < 250ms", "p99", 250.0, false)]
    [InlineData("p99.9 <= 1s", "p99.9", 1000.0, true)]
    [InlineData("p99.9 <= 1s", "p99.9", 1000.5, false)]
    [InlineData("ok_rate >= 99.5%", "ok_rate", 0.995, true)]
    [InlineData("ok_rate >= 99.5%", "ok_rate", 0.9949, false)]
    [InlineData("rps >= 400", "rps", 400.0, true)]
    [InlineData("rps >= 400/s", "rps", 399.9, false)]
    [InlineData("dropped == 0", "dropped", 0.0, true)]
    [InlineData("dropped == 0", "dropped", 1.0, false)]
    [InlineData("fail_count <= 10", "fail_count", 10.0, true)]
    [InlineData("fail_count != 10", "fail_count", 10.0, false)]
    [InlineData("mean > 500us", "mean", 0.6, true)]
    [InlineData("jain_fairness >= 0.95", "jain_fairness", 0.97, true)]
    [InlineData("duplicate_charges == 0", "duplicate_charges", 2.0, false)]
    [InlineData("  p95<300  ", "p95", 299.0, true)]
    public void Evaluate_ComparesTheLookedUpValue_AsWritten(string text, string key, double observed, bool pass)
    {
        var e = Expression.Parse(text);

        var result = e.Evaluate(Values((key, observed)));

        Assert.Equal(pass, result.Pass);
        Assert.Equal(observed, result.Observed);
    }

    [Fact]
    public void Parse_OfAStepScopedExpression_LooksUpTheScopedKey()
    {
        var e = Expression.Parse("step:confirm p95 < 300ms");

        Assert.Equal("step", e.ScopeKind);
        Assert.Equal("confirm", e.ScopeName);
        Assert.Equal("p95", e.Metric);
        Assert.Equal("step:confirm/p95", e.Key);
        Assert.True(e.Evaluate(Values(("step:confirm/p95", 120))).Pass);
    }

    [Fact]
    public void Parse_OfAQuotedScopeAndAKeyedMetric_KeepsThemVerbatim()
    {
        var e = Expression.Parse("step:\"bind card\" status[UNAVAILABLE] == 0");

        Assert.Equal("bind card", e.ScopeName);
        Assert.Equal("status[UNAVAILABLE]", e.Metric);
        Assert.Equal("step:bind card/status[UNAVAILABLE]", e.Key);
    }

    [Fact]
    public void Evaluate_WithNoValue_FailsAndSaysWhy()
    {
        var result = Expression.Parse("nodes_up >= 2").Evaluate(_ => null);

        Assert.False(result.Pass);
        Assert.Null(result.Observed);
        Assert.Contains("nodes_up", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatObserved_UsesTheUnitOfTheExpression()
    {
        Assert.Equal("99.7%", Expression.Parse("ok_rate >= 99%").Evaluate(Values(("ok_rate", 0.997))).ObservedText);
        Assert.Equal("231.5ms", Expression.Parse("p99 < 1s").Evaluate(Values(("p99", 231.5))).ObservedText);
    }

    [Fact]
    public void APercentOrADuration_IsTheNumberAsWritten_SoABoundIsMetExactlyAtItself()
    {
        // In binary 70 * 0.01 is 0.7000000000000001: a share of exactly 7/10 failed ">= 70%" and passed "< 70%".
        for (var percent = 0; percent <= 100; percent++)
        {
            var share = percent / 100.0;
            Assert.Equal(share, Expression.Parse($"ok_rate >= {percent}%").Value);
            Assert.True(Expression.Parse($"ok_rate >= {percent}%").Compare(share), $">= {percent}% at {share}");
            Assert.True(Expression.Parse($"ok_rate <= {percent}%").Compare(share), $"<= {percent}% at {share}");
            Assert.False(Expression.Parse($"ok_rate < {percent}%").Compare(share), $"< {percent}% at {share}");
            Assert.False(Expression.Parse($"ok_rate > {percent}%").Compare(share), $"> {percent}% at {share}");
        }

        Assert.True(Expression.Parse("ok_rate >= 95%").Compare(19.0 / 20));
        Assert.True(Expression.Parse("ok_rate >= 99.2%").Compare(124.0 / 125));
        Assert.Equal(1100, Expression.Parse("p99 < 1.1s").Value);
        Assert.Equal(0.3, Expression.Parse("p99 < 300us").Value);
        Assert.False(Expression.Parse("p99 < 1.1s").Compare(1100));
        Assert.True(double.IsPositiveInfinity(Expression.Parse("p99 < 1e309").Value));
    }

    [Theory]
    [InlineData("p99 250ms", "no comparison operator")]
    [InlineData("p99 < ", "no number after the operator")]
    [InlineData("< 250ms", "no metric before the operator")]
    [InlineData("p99 < fast", "\"fast\" is not a number")]
    [InlineData("p99 < 250xs", "unknown unit \"xs\"")]
    [InlineData("9lives < 3", "is not a metric name")]
    [InlineData("", "it is empty")]
    [InlineData("ok_rate => 99%", "\"=>\" is not an operator")]
    [InlineData("p99 =< 1s", "\"=<\" is not an operator")]
    [InlineData("fail <> 0", "\"<>\" is not an operator")]
    [InlineData("ok_rate >= =99%", "\">= =\" is not an operator")]
    public void Parse_OfAMalformedExpression_ThrowsOneLineNamingTheProblem(string text, string reason)
    {
        var ex = Assert.Throws<LoadConfigException>(() => Expression.Parse(text));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{text.Trim()}\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("< <= > >= == !=", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }
}

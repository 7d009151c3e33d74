using PaySim.Wallet.Resilience;

namespace PaySim.Wallet.Tests.Resilience;

public sealed class RetryBudgetTests
{
    [Fact]
    public void CanRetry_StopsWhenHalfTheTokensAreSpent()
    {
        var budget = new RetryBudget(maxTokens: 10, tokenRatio: 0.1);

        var allowed = 0;
        for (var i = 0; i < 20; i++)
        {
            budget.RecordFailure();
            if (budget.CanRetry)
            {
                allowed++;
            }
        }

        Assert.Equal(4, allowed);
        Assert.Equal(0, budget.Tokens);
    }

    [Fact]
    public void RecordSuccess_RefillsByTheRatioUpToTheMaximum()
    {
        var budget = new RetryBudget(maxTokens: 10, tokenRatio: 0.5);
        for (var i = 0; i < 6; i++)
        {
            budget.RecordFailure();
        }

        Assert.False(budget.CanRetry);
        budget.RecordSuccess();
        budget.RecordSuccess();
        budget.RecordSuccess();
        Assert.True(budget.CanRetry);
        Assert.Equal(5.5, budget.Tokens, 3);

        for (var i = 0; i < 100; i++)
        {
            budget.RecordSuccess();
        }

        Assert.Equal(10, budget.Tokens);
    }

    [Fact]
    public async Task RecordFailure_UnderConcurrency_LosesNoUpdate()
    {
        var budget = new RetryBudget(maxTokens: 100_000, tokenRatio: 0.1);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                budget.RecordFailure();
            }
        })));

        Assert.Equal(60_000, budget.Tokens);
    }
}

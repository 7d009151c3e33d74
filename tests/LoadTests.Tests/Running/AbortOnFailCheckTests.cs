using PaySim.LoadEngine;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Running;
using PaySim.LoadTests.Scenarios;

namespace PaySim.LoadTests.Tests.Running;

/// <summary>The live check of abortOnFail claims, over live summaries made by hand: when it starts, what it judges, what it says.</summary>
public sealed class AbortOnFailCheckTests
{
    private static AbortOnFailCheck Check(string claims, RunCounters? counters = null) =>
        new(PlanCompiler.Compile($$"""{ "rate": 1, "duration": "60s", "warmUp": "2s", "scenarios": [ { "name": "payment" } ], "claims": [ {{claims}} ] }""", "t.json"), counters ?? new RunCounters());

    private static RunSummary Live(long ok, long fail) =>
        new() { Scenarios = [new ScenarioSummary { Name = "payment", Ok = ok, Fail = fail, DurationS = 5 }] };

    [Fact]
    public void Nothing_is_checked_before_the_warm_up_and_delayAbortEval_are_over()
    {
        var check = Check("""{ "claim": "success_rate >= 99%", "abortOnFail": true, "delayAbortEval": "3s" }""");

        Assert.Null(check.Check(Live(1, 9), TimeSpan.FromSeconds(4.9)));
        Assert.Null(check.Failed);
        Assert.Equal("claim \"success_rate >= 99%\" failed at 5s (was 10%); the run stopped early (abortOnFail)", check.Check(Live(1, 9), TimeSpan.FromSeconds(5)));
        Assert.Equal(0, check.Failed!.Value.Index);
    }

    [Fact]
    public void A_claim_that_holds_or_has_nothing_measured_yet_does_not_stop_the_run()
    {
        var check = Check("""{ "claim": "success_rate >= 90%", "abortOnFail": true }""");

        Assert.Null(check.Check(Live(0, 0), TimeSpan.FromSeconds(3)));
        Assert.Null(check.Check(Live(95, 5), TimeSpan.FromSeconds(4)));
        Assert.Null(check.Failed);
    }

    [Fact]
    public void Only_abortOnFail_claims_stop_the_run_and_only_the_first_failure_counts()
    {
        var check = Check("""
            "fail_count == 0", { "claim": "fail_count <= 3", "abortOnFail": true }, { "claim": "success_rate >= 99%", "abortOnFail": true }
            """);

        Assert.True(check.Any);
        Assert.Null(check.Check(Live(100, 1), TimeSpan.FromSeconds(3))); // fail_count == 0 fails, but it only counts at the end
        Assert.StartsWith("claim \"fail_count <= 3\" failed at 4s (was 4)", check.Check(Live(100, 4), TimeSpan.FromSeconds(4)), StringComparison.Ordinal);
        Assert.Null(check.Check(Live(100, 50), TimeSpan.FromSeconds(5))); // already stopping
        Assert.Equal(1, check.Failed!.Value.Index);
    }

    [Fact]
    public void The_runs_own_counters_are_live_too()
    {
        var counters = new RunCounters { Recording = true };
        var check = Check("""{ "claim": "bind_success_rate >= 80%", "abortOnFail": true }""", counters);
        counters.Bind(RunCounters.Bound);
        counters.Bind("phone_mismatch");

        Assert.Contains("failed at 3s (was 50%)", check.Check(Live(2, 0), TimeSpan.FromSeconds(3)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_plan_without_abortOnFail_claims_needs_no_live_check()
    {
        Assert.False(Check("\"success_rate >= 99%\"").Any);
    }

    [Fact]
    public void The_claim_that_stopped_the_run_fails_in_the_verdict_saying_when()
    {
        var check = Check("""{ "claim": "success_rate >= 99%", "abortOnFail": true }""");
        check.Check(Live(1, 1), TimeSpan.FromSeconds(3));
        var judged = new ClaimResult { Pass = true, Expression = "success_rate >= 99%" };

        check.Mark(judged);

        Assert.False(judged.Pass);
        Assert.Equal("failed at 3s, was 50%: stopped the run (abortOnFail)", judged.Message);
    }
}

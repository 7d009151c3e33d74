using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Tests.Plans;

/// <summary>A claim may be an object with k6's abortOnFail and delayAbortEval; only live figures may stop a run.</summary>
public sealed class ClaimCompilerAbortOnFailTests
{
    private static string Plan(string claims, string extra = "") =>
        $$"""{ "rate": 1, "duration": "60s", "warmUp": "2s", "scenarios": [ { "name": "payment" } ]{{extra}}, "claims": [ {{claims}} ] }""";

    [Fact]
    public void An_object_claim_compiles_with_its_abort_settings_and_a_text_claim_is_unchanged()
    {
        var plan = PlanCompiler.Compile(Plan("""{ "claim": "success_rate >= 99%", "abortOnFail": true, "delayAbortEval": "10s" }, "step:pay p99 < 1s", { "claim": "money_conserved == true" }"""), "t.json");

        Assert.Equal("success_rate >= 99%", plan.Claims[0].Text);
        Assert.True(plan.Claims[0].AbortOnFail);
        Assert.Equal(TimeSpan.FromSeconds(10), plan.Claims[0].AbortDelay);
        Assert.Equal(0.99, plan.Claims[0].Expression.Value, 9);
        Assert.False(plan.Claims[1].AbortOnFail);
        Assert.Equal(TimeSpan.Zero, plan.Claims[1].AbortDelay);
        Assert.False(plan.Claims[2].AbortOnFail);
    }

    [Fact]
    public void DelayAbortEval_scales_with_duration_like_every_other_span_of_the_plan()
    {
        var plan = PlanCompiler.Compile(Plan("""{ "claim": "success_rate >= 99%", "abortOnFail": true, "delayAbortEval": "30s" }"""), "t.json", new PlanOverrides { Duration = TimeSpan.FromSeconds(10) });

        Assert.Equal(TimeSpan.FromSeconds(5), plan.Claims[0].AbortDelay);
    }

    [Fact]
    public void Step_and_scenario_statistics_may_stop_the_run()
    {
        var plan = PlanCompiler.Compile(Plan("""{ "claim": "step:pay p99 < 1s", "abortOnFail": true }, { "claim": "scenario:payment fail_rate < 5%", "abortOnFail": true }, { "claim": "bind_failures[!sms_timeout] == 0", "abortOnFail": true }"""), "t.json");

        Assert.All(plan.Claims, c => Assert.True(c.AbortOnFail));
    }

    [Theory]
    [InlineData("""{ "claim": "money_conserved == true", "abortOnFail": true }""", "claims[0].abortOnFail: \"money_conserved\" is known only after the load")]
    [InlineData("""{ "claim": "excess_charges == 0", "abortOnFail": true }""", "claims[0].abortOnFail: \"excess_charges\"")]
    [InlineData("""{ "claim": "issuer_jain_fairness >= 0.9", "abortOnFail": true }""", "claims[0].abortOnFail: \"issuer_jain_fairness\"")]
    [InlineData("""{ "claim": "retry_amplification <= 1.2", "abortOnFail": true }""", "claims[0].abortOnFail: \"retry_amplification\"")]
    [InlineData("""{ "claim": "p99_drift <= 2", "abortOnFail": true }""", "claims[0].abortOnFail: \"p99_drift\"")]
    [InlineData("""{ "claim": "success_rate >= 99%", "abortOnFial": true }""", "claims[0].abortOnFial: unknown field; allowed: claim, abortOnFail, delayAbortEval.")]
    [InlineData("""{ "abortOnFail": true }""", "claims[0].claim: missing")]
    [InlineData("""{ "claim": 99, "abortOnFail": true }""", "claims[0].claim: must be a claim text such as \"success_rate >= 99%\", got the number 99.")]
    [InlineData("""{ "claim": "happiness >= 1", "abortOnFail": true }""", "claims[0].claim: unknown metric \"happiness\"")]
    [InlineData("""{ "claim": "success_rate >= 99%", "abortOnFail": "yes" }""", "claims[0].abortOnFail: must be true or false, got \"yes\".")]
    [InlineData("""{ "claim": "success_rate >= 99%", "abortOnFail": true, "delayAbortEval": 10 }""", "claims[0].delayAbortEval: must be a duration such as \"10s\"")]
    [InlineData("""{ "claim": "success_rate >= 99%", "abortOnFail": true, "delayAbortEval": "10 seconds" }""", "claims[0].delayAbortEval: \"10 seconds\" is not a duration")]
    [InlineData("""{ "claim": "success_rate >= 99%", "abortOnFail": true, "delayAbortEval": "-5s" }""", "claims[0].delayAbortEval: \"-5s\" is negative")]
    [InlineData("""{ "claim": "success_rate >= 99%", "delayAbortEval": "5s" }""", "claims[0].delayAbortEval: only with \"abortOnFail\": true")]
    [InlineData("""{ "claim": "success_rate >= 99%", "abortOnFail": true, "delayAbortEval": "58s" }""", "claims[0].delayAbortEval: 58s after the 2s warm-up leaves nothing of the run's 1m to check; give less than 58s.")]
    [InlineData("""5""", "claims[0]: must be a claim text such as \"success_rate >= 99%\" or an object")]
    [InlineData("""[ "success_rate >= 99%" ]""", "claims[0]: must be a claim text such as \"success_rate >= 99%\" or an object {\"claim\": \"…\", \"abortOnFail\": true, \"delayAbortEval\": \"10s\"}, got an array.")]
    public void A_bad_claim_is_refused_in_one_line_naming_the_field(string claim, string message)
    {
        var refused = Assert.Throws<PlanException>(() => PlanCompiler.Compile(Plan(claim), "t.json"));

        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Theory]
    [InlineData("ok_count >= 10")]
    [InlineData("ok_count > 0")]
    [InlineData("bind_resends >= 1")]
    [InlineData("risk_declines == 3")]
    [InlineData("fail_count != 0")]
    [InlineData("step:pay count >= 5")]
    [InlineData("scenario:payment ok > 0")]
    [InlineData("step:pay status[200] >= 1")]
    [InlineData("step:pay max >= 1ms")]
    [InlineData("max_start_lag_ms >= 5ms")]
    public void A_growing_count_bounded_from_below_is_refused_it_would_fail_before_the_run_counted(string claim)
    {
        // At the first check ok_count is 1 or 2, so "ok_count >= 10" stopped a run that ended with hundreds: a false fail.
        var refused = Assert.Throws<PlanException>(() => PlanCompiler.Compile(Plan($$"""{ "claim": "{{claim}}", "abortOnFail": true }"""), "t.json"));

        Assert.Equal($"plan t.json: claims[0].abortOnFail: \"{claim}\" holds a count that only grows while the run goes to a lower bound or an exact value, so it would fail at the first check, before the run has counted; abortOnFail takes a count's upper bound (<, <= or == 0), or a rate or a latency.", refused.Message);
    }

    [Theory]
    [InlineData("fail_count <= 10")]
    [InlineData("fail_count == 0")]
    [InlineData("dropped < 1")]
    [InlineData("step:pay status[503] <= 3")]
    [InlineData("step:pay max < 2s")]
    [InlineData("step:pay min >= 1ms")]
    [InlineData("rps >= 5")]
    [InlineData("scenario:payment ok_rate >= 99%")]
    public void An_upper_bound_on_a_count_and_any_bound_on_a_rate_or_latency_may_stop_the_run(string claim)
    {
        var plan = PlanCompiler.Compile(Plan($$"""{ "claim": "{{claim}}", "abortOnFail": true }"""), "t.json");

        Assert.True(Assert.Single(plan.Claims).AbortOnFail);
    }

    [Fact]
    public void A_delay_too_long_under_a_duration_override_names_the_plan_value_and_the_flag()
    {
        // Valid as written (1s + 8999ms < 10s); at --duration 1s, rounded to the millisecond, 100ms + 900ms leaves nothing.
        const string Written = """{ "rate": 1, "duration": "10s", "warmUp": "1s", "scenarios": [ { "name": "payment" } ], "claims": [ { "claim": "success_rate >= 99%", "abortOnFail": true, "delayAbortEval": "8999ms" } ] }""";
        PlanCompiler.Compile(Written, "t.json");
        var refused = Assert.Throws<PlanException>(() => PlanCompiler.Compile(Written, "t.json", new PlanOverrides { Duration = TimeSpan.FromSeconds(1) }));

        Assert.Contains("claims[0].delayAbortEval: 900ms (the plan's 8999ms, scaled with --duration as the warm-up is) after the", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("at this --duration, or a longer --duration.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_figure_known_only_after_the_run_is_refused_listing_the_live_figures()
    {
        var refused = Assert.Throws<PlanException>(() => PlanCompiler.Compile(Plan("""{ "claim": "lost_payments == 0", "abortOnFail": true }"""), "t.json"));

        Assert.Contains($"abortOnFail is allowed on {string.Join(", ", FigureCatalog.LiveNames)}, or step:<name>/scenario:<name> statistics.", refused.Message, StringComparison.Ordinal);
        Assert.Contains(ClaimMetrics.SuccessRate, FigureCatalog.LiveNames);
        Assert.Contains(ClaimMetrics.Rps, FigureCatalog.LiveNames);
        Assert.DoesNotContain(ClaimMetrics.LostPayments, FigureCatalog.LiveNames);
        Assert.DoesNotContain(ClaimMetrics.FaultP99Ms, FigureCatalog.LiveNames);
    }
}

using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Tests.Cli;

namespace PaySim.LoadTests.Tests.Plans;

/// <summary>
/// Issue 19, load-test side: a plan's <c>risk</c> is read by the simulator's own risk parser (bad rules are one line naming
/// the field, exit 2, nothing run), the risk personas are plan personas, risk causes in claims are checked, and the card
/// pool is checked against the velocity rule before the load.
/// </summary>
public sealed class RiskPlanTests
{
    [Fact]
    public void Risk_IsCompiledWithTheSimulatorsDefaultsForWhatItLeavesOut()
    {
        var plan = PlanCompiler.Compile(Plan("""{ "velocity": { "count": 5, "window": "10s" }, "notPermittedMerchants": ["casino-1"] }"""), "p.json");

        var risk = Assert.IsType<PaySim.Simulator.Risk.RiskRules>(plan.Risk);
        Assert.Equal(5, risk.Velocity!.Limit);
        Assert.Equal(TimeSpan.FromSeconds(10), risk.Velocity.Window);
        Assert.Null(risk.Amount);
        Assert.True(risk.DailyLimit);
        Assert.Equal(1_000, risk.RiskFlagged!.Limit);
        Assert.Equal(["casino-1"], risk.NotPermittedMerchants);
    }

    [Fact]
    public void RiskWholeNumbers_WithAZeroFraction_AreThatNumber_AsSeedAndCopiesAre()
    {
        var plan = PlanCompiler.Compile(Plan("""
            { "velocity": { "count": 1.0, "window": "1s" }, "amount": { "maxMinor": 100.0, "window": "1h" },
              "stepUp": { "aboveMinor": 100.0 }, "riskFlagged": { "aboveMinor": 1e2 } }
            """), "p.json");

        var risk = Assert.IsType<PaySim.Simulator.Risk.RiskRules>(plan.Risk);
        Assert.Equal(1, risk.Velocity!.Limit);
        Assert.Equal(100, risk.Amount!.Limit);
        Assert.Equal(100, risk.StepUp!.Limit);
        Assert.Equal(100, risk.RiskFlagged!.Limit);

        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(Plan("""{ "velocity": { "count": 1.5, "window": "1s" } }"""), "p.json"));
        Assert.StartsWith("plan p.json: risk.velocity.count: must be a whole number between 1 and 1000000, got 1.5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoRisk_LeavesTheTargetsRules()
    {
        Assert.Null(PlanCompiler.Compile(Plan(null), "p.json").Risk);
        Assert.Null(PlanCompiler.Compile(Plan("null"), "p.json").Risk);
    }

    [Theory]
    [InlineData("""{ "velocity": { "count": 0, "window": "10s" } }""", "plan p.json: risk.velocity.count: 0 is outside 1–1000000", "1–1000000.")]
    [InlineData("""{ "velocity": { "count": 5 } }""", "plan p.json: risk.velocity.window: is required", "at most 24h")]
    [InlineData("""{ "velocity": { "count": 5, "window": "10s", "action": "block" } }""", "plan p.json: risk.velocity.action: \"block\" is not allowed", "allowed: decline, challenge")]
    [InlineData("""{ "velocty": { "count": 5, "window": "10s" } }""", "plan p.json: risk.velocty: ", "velocity")]
    [InlineData("""{ "amount": { "maxMinor": 100, "window": "48h" } }""", "plan p.json: risk.amount.window: ", "24h")]
    [InlineData("""{ "notPermittedMerchants": "casino-1" }""", "plan p.json: risk.notPermittedMerchants: must be an array of merchant ids", "\"casino-1\"")]
    [InlineData("""{ "dailyLimit": "yes" }""", "plan p.json: risk.dailyLimit: ", "true or false")]
    [InlineData("""[ 1 ]""", "plan p.json: ", "risk")]
    public void BadRisk_IsOneLineNamingTheField(string risk, string expectedStart, string alsoSays)
    {
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(Plan(risk), "p.json"));

        Assert.StartsWith(expectedStart, ex.Message, StringComparison.Ordinal);
        Assert.Contains(alsoSays, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void TwoBadFields_NameTheFirstAndCountTheRest()
    {
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(Plan("""{ "velocity": { "count": 0, "window": "10s" }, "repeat": 3 }"""), "p.json"));

        Assert.StartsWith("plan p.json: risk.velocity.count: ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("(and 1 more).", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRisk_OnTheCommandLine_ExitsTwoWithOneLineAndRunsNothing()
    {
        var dir = Directory.CreateTempSubdirectory("paysim-risk-plan-").FullName;
        var file = Path.Combine(dir, "bad-risk.json");
        var reports = Path.Combine(dir, "report");
        await File.WriteAllTextAsync(file, Plan("""{ "velocity": { "count": -1, "window": "10s" } }"""));
        try
        {
            var (code, output, err) = await CliRunner.RunAsync("run", "--plan", file, "--no-progress", "--report-dir", reports);

            Assert.Equal(2, code);
            var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"error: plan {file}: risk.velocity.count: ", line, StringComparison.Ordinal);
            Assert.DoesNotContain("starting embedded cluster", output, StringComparison.Ordinal);
            Assert.False(Directory.Exists(reports));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void RiskPersonas_AreAcceptedPlanPersonas()
    {
        var plan = PlanCompiler.Compile("""
            { "name": "t", "rate": 2, "personas": { "healthy": 1, "risk-flagged": 0.5, "frequent-payer": 0.5 },
              "scenarios": [ { "name": "onboarding" } ] }
            """, "t.json");

        Assert.Equal(["healthy", "risk-flagged", "frequent-payer"], plan.Personas.Keys);
    }

    [Theory]
    [InlineData("risk_declines == 0")]
    [InlineData("risk_declines[velocity] >= 1")]
    [InlineData("risk_declines[limit] == 0")]
    [InlineData("risk_declines[fraud] == 0")]
    [InlineData("risk_declines[not_permitted] == 0")]
    public void RiskDeclineClaims_Compile(string claim) =>
        Assert.Equal(claim, PlanCompiler.Compile(Plan(null, claim), "p.json").Claims.Single().Text);

    [Fact]
    public void ARiskDeclineClaimOnAnUnknownCause_IsRefusedListingTheCauses()
    {
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(Plan(null, "risk_declines[velocty] >= 1"), "p.json"));

        Assert.Equal("plan p.json: claims[0]: unknown risk decline cause \"velocty\" in \"risk_declines[velocty] >= 1\"; allowed: velocity, limit, fraud, not_permitted.", ex.Message);
    }

    [Fact]
    public void CardPool_TooSmallForTheVelocityRule_WarnsNamingTheNumbersAndTheFixes()
    {
        var (json, source) = PlanCatalog.Resolve("risk");
        var plan = PlanCompiler.Compile(json, source);

        Assert.Equal(8, CardPoolCheck.PaymentRate(plan), 9);
        Assert.Equal(
            "card pool too small for the issuer's velocity rule: 8 payments/s over 8 pre-bound cards is 10 payments per card in the rule's 10s window, "
            + "more than its count of 5, so the issuer will decline (65) payments real users would not trip; "
            + "to avoid it use preboundCards >= 16, a payment rate of at most 4/s, or a velocity count of at least 10 per 10s.",
            CardPoolCheck.Warning(plan, plan.Risk));
    }

    [Fact]
    public void CardPool_SizedForTheVelocityRule_OrNoVelocityRule_WarnsNothing()
    {
        var (json, source) = PlanCatalog.Resolve("risk-sized");
        var sized = PlanCompiler.Compile(json, source);
        var (smallJson, smallSource) = PlanCatalog.Resolve("risk");
        var small = PlanCompiler.Compile(smallJson, smallSource);

        Assert.Null(CardPoolCheck.Warning(sized, sized.Risk));
        Assert.Null(CardPoolCheck.Warning(small, PaySim.Simulator.Risk.RiskRules.Default));
        Assert.Null(CardPoolCheck.Warning(small, null));
        // Exactly at the count is not over it: 4/s × 10 s ÷ 8 cards = 5.
        Assert.Null(CardPoolCheck.Warning(PlanCompiler.Compile(smallJson, smallSource, new PlanOverrides { Rate = 5 }), small.Risk));
        Assert.NotNull(CardPoolCheck.Warning(PlanCompiler.Compile(smallJson, smallSource, new PlanOverrides { Rate = 5.1 }), small.Risk));
    }

    [Fact]
    public void CardPool_CountsTheJourneysPayingShareOnly()
    {
        var plan = PlanCompiler.Compile("""
            { "name": "t", "rate": 20, "preboundCards": 10, "risk": { "velocity": { "count": 10, "window": "10s" } },
              "scenarios": [ { "name": "journey", "mix": { "payment": 60, "history": 25, "onboarding": 10, "refund": 5 } } ] }
            """, "t.json");

        // 65% of 20/s pays: 13/s × 10 s ÷ 10 cards = 13 per card > 10.
        Assert.Equal(13, CardPoolCheck.PaymentRate(plan), 9);
        Assert.Contains("13 payments per card", CardPoolCheck.Warning(plan, plan.Risk), StringComparison.Ordinal);
        Assert.Contains("preboundCards >= 13", CardPoolCheck.Warning(plan, plan.Risk), StringComparison.Ordinal);
    }

    private static string Plan(string? risk, string claim = "success_rate >= 99%") => $$"""
        { "name": "t", "rate": 8, "preboundCards": 8,
          {{(risk is null ? string.Empty : $"\"risk\": {risk},")}}
          "scenarios": [ { "name": "payment" } ],
          "claims": [ "{{claim}}" ] }
        """;
}

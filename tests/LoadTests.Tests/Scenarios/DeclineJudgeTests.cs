using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Scenarios;
using PaySim.LoadTests.SimulatorControl;
using PaySim.Simulator.Risk;

namespace PaySim.LoadTests.Tests.Scenarios;

/// <summary>
/// Issue 15, bug 2: a payment's 402 counts as a correct answer only when the persona, the card's state (status, money,
/// daily limit) or a planned decline fault explains it; a healthy card with money and limit left has no excuse.
/// </summary>
public sealed class DeclineJudgeTests
{
    private const string Pan = "6235535375796264";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-03-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void HealthyCardWithMoneyAndLimitLeft_ExplainsNothing()
    {
        var judge = Judge(Healthy());

        Assert.Null(judge.Explain(Pan, 500));
        var message = judge.Unexplained(Pan, "declined", 500);
        Assert.Contains("402 declined to 500 on card ****6264", message, StringComparison.Ordinal);
        Assert.Contains("persona healthy, 1000000 of 1000000 left", message, StringComparison.Ordinal);
    }

    [Fact]
    public void APersonaThatExpectsADecline_ExplainsIt()
    {
        var judge = Judge(Healthy() with { Persona = "low-balance", ExpectedResponseCode = "51", ExpectedDeclineReason = "INSUFFICIENT_FUNDS" });

        Assert.Equal("persona low-balance expects 51 INSUFFICIENT_FUNDS", judge.Explain(Pan, 500));
    }

    [Fact]
    public void ACardThatIsNotActive_ExplainsIt() =>
        Assert.Equal("the card is blocked", Judge(Healthy() with { Status = "blocked" }).Explain(Pan, 500));

    [Fact]
    public void MoneyTheRunMayHaveTaken_ExplainsInsufficientFundsUntilTheWalletSaysNo()
    {
        var judge = Judge(Healthy() with { BalanceMinor = 1_000 });

        judge.Reserve(Pan, 700);
        judge.Reserve(Pan, 400);
        judge.Release(Pan, 400);

        Assert.Equal("insufficient funds: 300 of 1000 left for 400", judge.Explain(Pan, 400));
        Assert.Null(judge.Explain(Pan, 300));
        judge.Release(Pan, 700);
        Assert.Null(judge.Explain(Pan, 400));
    }

    [Fact]
    public void MoneyEarlierRunsTook_ExplainsInsufficientFunds()
    {
        var judge = Judge(Healthy() with { BalanceMinor = 1_000 }, earlier: new EarlierSpending(900, 0));

        Assert.Equal("insufficient funds: 100 of 1000 left for 200", judge.Explain(Pan, 200));
        Assert.Null(judge.Explain(Pan, 100));
    }

    [Fact]
    public void TheDailyLimitUsedUp_ExplainsOverLimit()
    {
        var judge = Judge(Healthy() with { DailyLimitMinor = 2_000 }, earlier: new EarlierSpending(0, 1_500));

        Assert.Null(judge.Explain(Pan, 400));
        judge.Reserve(Pan, 200);
        Assert.Equal("over the daily limit: 1700 of 2000 spent today before 400", judge.Explain(Pan, 400));
    }

    [Fact]
    public void APlannedDeclineFaultOnAuthorize_ExplainsDeclinesOnlyWhileInForce()
    {
        var faults = new[]
        {
            Fault("bank-says-no", """{ "method": "Authorize", "decline": { "code": "05" } }""", start: 10, duration: 5),
            Fault("slow", """{ "method": "Authorize", "latency": "50ms" }""", start: 0, duration: null),
            Fault("wrong-data", """{ "method": "StartBinding", "decline": { "code": "05" } }""", start: 0, duration: null),
        };
        var judge = Judge(Healthy(), faults: faults, late: TimeSpan.FromSeconds(3));

        judge.Start();
        _time.Advance(TimeSpan.FromSeconds(8.5));
        Assert.Null(judge.Explain(Pan, 500));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("the plan's fault bank-says-no declines Authorize", judge.Explain(Pan, 500));
        _time.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal("the plan's fault bank-says-no declines Authorize", judge.Explain(Pan, 500));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(judge.Explain(Pan, 500));
    }

    [Fact]
    public void ADeclineFaultOnEveryMethodUntilTheEnd_AgentsWithoutTheTimelineCountItAnyTime()
    {
        var faults = new[] { Fault("outage", """{ "decline": { "code": "05" } }""", start: 30, duration: null) };

        Assert.NotNull(Judge(Healthy(), faults: faults, faultsAnyTime: true).Explain(Pan, 500));
        var timed = Judge(Healthy(), faults: faults);
        timed.Start();
        Assert.Null(timed.Explain(Pan, 500));
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal("the plan's fault outage declines *", timed.Explain(Pan, 500));
    }

    [Theory]
    [InlineData("65", "declined", "velocity")]
    [InlineData("61", "over_limit", "limit")]
    [InlineData("59", "declined", "fraud")]
    [InlineData("57", "declined", "not_permitted")]
    [InlineData(null, "over_limit", "limit")]
    public void ARiskCodeARuleInForceGives_IsARiskDeclineOfItsCause(string? issuerCode, string walletCode, string cause)
    {
        var rules = RiskRulesParser.Parse("""
            { "velocity": { "count": 5, "window": "10s" }, "amount": { "maxMinor": 5000, "window": "1m" },
              "repeat": { "window": "10s" }, "notPermittedMerchants": ["loadtest-merchant"] }
            """);
        var judge = Judge(Healthy(), risk: rules);

        Assert.Equal(cause, judge.RiskCause(Pan, issuerCode, walletCode, "loadtest-merchant", 500));
    }

    [Fact]
    public void ARiskCodeNoRuleInForceGives_IsNoRiskDecline_AndStaysUnexplainedOnAHealthyCard()
    {
        // The defaults: no velocity, amount or repeat rule, nobody not permitted, and the card far from its daily limit.
        var judge = Judge(Healthy(), risk: RiskRules.Default);

        Assert.Null(judge.RiskCause(Pan, "65", "declined", "loadtest-merchant", 500));
        Assert.Null(judge.RiskCause(Pan, "61", "over_limit", "loadtest-merchant", 500));
        Assert.Null(judge.RiskCause(Pan, "59", "declined", "loadtest-merchant", 500));
        Assert.Null(judge.RiskCause(Pan, "57", "declined", "loadtest-merchant", 500));
        Assert.Null(judge.RiskCause(Pan, "51", "insufficient_funds", "loadtest-merchant", 500));
        Assert.Null(judge.Explain(Pan, 500));
    }

    [Fact]
    public void TheDailyLimitUsedUp_IsARiskLimitDecline_WhileTheDailyLimitIsOn()
    {
        var card = Healthy() with { DailyLimitMinor = 2_000 };
        var on = Judge(card, earlier: new EarlierSpending(0, 1_800), risk: RiskRules.Default);
        var off = Judge(card, earlier: new EarlierSpending(0, 1_800), risk: RiskRules.Default with { DailyLimit = false });

        Assert.Equal("limit", on.RiskCause(Pan, "61", "over_limit", "loadtest-merchant", 500));
        Assert.Null(on.RiskCause(Pan, "61", "over_limit", "loadtest-merchant", 100));
        Assert.Null(off.RiskCause(Pan, "61", "over_limit", "loadtest-merchant", 500));
    }

    [Fact]
    public void ARiskFlaggedCard_IsAFraudDeclineAboveTheRulesAmountOnly()
    {
        var flagged = Healthy() with { Persona = "risk-flagged", ExpectedResponseCode = "59", ExpectedDeclineReason = "SUSPECTED_FRAUD" };
        var judge = Judge(flagged, risk: RiskRules.Default);

        Assert.Equal("fraud", judge.RiskCause(Pan, "59", "declined", "loadtest-merchant", 1_001));
        Assert.Null(judge.RiskCause(Pan, "59", "declined", "loadtest-merchant", 1_000));
        Assert.Null(Judge(Healthy(), risk: RiskRules.Default).RiskCause(Pan, "59", "declined", "loadtest-merchant", 5_000));
        // Its persona still explains any decline when the rule did not give it.
        Assert.Equal("persona risk-flagged expects 59 SUSPECTED_FRAUD", judge.Explain(Pan, 1_000));
    }

    [Fact]
    public void ANotPermittedMerchant_OnlyThatMerchant()
    {
        var judge = Judge(Healthy(), risk: RiskRules.Default with { NotPermittedMerchants = ["casino-1"] });

        Assert.Equal("not_permitted", judge.RiskCause(Pan, "57", "declined", "casino-1", 500));
        Assert.Null(judge.RiskCause(Pan, "57", "declined", "loadtest-merchant", 500));
    }

    [Fact]
    public void RulesUnknown_EveryRiskCodeIsBelieved_ButNotForACardTheRunDidNotPrepare()
    {
        var judge = Judge(Healthy());

        Assert.Equal("velocity", judge.RiskCause(Pan, "65", "declined", "loadtest-merchant", 500));
        Assert.Null(judge.RiskCause("4000000000000002", "65", "declined", "loadtest-merchant", 500));
        Assert.Null(judge.RiskCause(Pan, "05", "do_not_honour", "loadtest-merchant", 500));
    }

    private static SimCardholder Healthy() => new()
    {
        Pan = Pan, Persona = "healthy", Status = "active", BalanceMinor = 1_000_000, DailyLimitMinor = 5_000_000, ExpectedResponseCode = "00",
    };

    private static TimedFaultRule Fault(string name, string rule, int start, int? duration) =>
        new(name, TimeSpan.FromSeconds(start), duration is { } d ? TimeSpan.FromSeconds(d) : null, JsonNode.Parse(rule)!.AsObject());

    private DeclineJudge Judge(SimCardholder card, EarlierSpending earlier = default, TimedFaultRule[]? faults = null, TimeSpan? late = null, bool faultsAnyTime = false, RiskRules? risk = null) =>
        new([card], new Dictionary<string, EarlierSpending> { [card.Pan] = earlier }, faults ?? [], late ?? TimeSpan.FromSeconds(6), faultsAnyTime, _time, risk);
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PaySim.LoadTests.Cli;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// docs/plans.md promises an outcome for <c>brownout</c> and <c>capacity</c>; these runs keep the promise honest,
/// shortened, with the claims that still make sense at that length.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PromisedOutcomeRunTests
{
    [Fact]
    public async Task Run_BrownoutShortened_LeastRequestsMovesLoadOffTheSlowNode()
    {
        // 45 s scaled to 10 s: issuer-2 slows from 2.2 s, ramps up over 4.4 s, recovers at 8.9 s.
        var run = await ShortRun.RunAsync("brownout");
        try
        {
            Assert.True(run.ExitCode == ExitCodes.AllClaimsHold, run.Describe());
            Assert.True(run.Claim("issuer_node_share[issuer-2] <= 28%")["pass"]!.GetValue<bool>(), run.Describe());
            Assert.True(run.Claim("step:pay p95 < 1s")["pass"]!.GetValue<bool>(), run.Describe());
            var shares = run.Summary["nodes"]!.AsArray().ToDictionary(n => n!["name"]!.GetValue<string>(), n => n!["share"]!.GetValue<double>());
            // The slow node gets less than a third, and less than either healthy node: the balancer noticed.
            Assert.True(shares["issuer-2"] <= 0.28, run.Describe());
            Assert.True(shares["issuer-2"] < shares["issuer-1"] && shares["issuer-2"] < shares["issuer-3"], string.Join(", ", shares));
            Assert.Equal(1.0, shares.Values.Sum(), 3);
            var timeline = run.Summary["faultTimeline"]!.AsArray().Select(e => e!["what"]!.GetValue<string>()).ToArray();
            Assert.Equal(["fault brownout-issuer-2", "fault brownout-issuer-2 ended"], timeline);
            Assert.Equal(0, run.Summary["duplicateCharges"]!.GetValue<long>());
        }
        finally
        {
            run.Delete();
        }
    }

    [Fact]
    public async Task Run_RiskShortened_WarnsOfTheSmallCardPoolAndCountsVelocityDeclinesAsRiskNotAsWalletFailures()
    {
        var run = await ShortRun.RunAsync("risk");
        try
        {
            Assert.True(run.ExitCode == ExitCodes.AllClaimsHold, run.Describe());
            const string warning = "card pool too small for the issuer's velocity rule: 8 payments/s over 8 pre-bound cards is 10 payments per card in the rule's 10s window";
            Assert.Contains("warning: " + warning, run.Out, StringComparison.Ordinal);
            Assert.StartsWith(warning, Assert.Single(run.PlanWarnings), StringComparison.Ordinal);

            // 8 cards at 1 payment a second each for ~10 s, 5 allowed per 10 s: about half are declined by the velocity rule.
            var velocity = run.Summary["riskDeclines"]!["byCause"]!["velocity"]!.GetValue<long>();
            Assert.True(velocity >= 5, run.Describe());
            Assert.Equal(velocity, run.Summary["riskDeclines"]!["total"]!.GetValue<long>());
            Assert.Equal(velocity, run.Summary["figures"]!["risk_declines[velocity]"]!.GetValue<double>());

            // They are the issuer working, not the wallet failing: every payment iteration is ok, none unexpected.
            var payment = run.Summary["scenarios"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "payment")!;
            Assert.Equal(0, payment["fail"]!.GetValue<long>());
            Assert.DoesNotContain("unexpected_decline", run.Summary.ToJsonString(), StringComparison.Ordinal);
            Assert.True(run.Claim("risk_declines[velocity] >= 5")["pass"]!.GetValue<bool>(), run.Describe());
            Assert.True(run.Claim("success_rate >= 99%")["pass"]!.GetValue<bool>(), run.Describe());
            run.AssertMoneyReconciles();
        }
        finally
        {
            run.Delete();
        }
    }

    [Fact]
    public async Task Run_RiskSizedShortened_TheSameLoadOverEnoughCardsWarnsNothingAndIsNeverDeclined()
    {
        var run = await ShortRun.RunAsync("risk-sized");
        try
        {
            Assert.True(run.ExitCode == ExitCodes.AllClaimsHold, run.Describe());
            Assert.Empty(run.PlanWarningLines);
            Assert.Empty(run.PlanWarnings);
            Assert.Equal(0, run.Summary["riskDeclines"]!["total"]!.GetValue<long>());
            Assert.True(run.Claim("risk_declines == 0")["pass"]!.GetValue<bool>(), run.Describe());
            Assert.Contains("risk: the plan's rules are in force: {\"velocity\":{\"count\":5,\"window\":\"10s\"", run.Out, StringComparison.Ordinal);
            run.AssertMoneyReconciles();
        }
        finally
        {
            run.Delete();
        }
    }

    [Fact]
    public async Task Run_CapacityShortened_JudgesEveryStepAndReportsTheKnee()
    {
        // 48 s scaled to 18 s: six 3 s steps, each long enough for a whole judged second after its first
        // (transition) second. At 10 s the steps are 1.7 s and none can be judged.
        var run = await ShortRun.RunForAsync("capacity", "18s");
        try
        {
            Assert.True(run.ExitCode == ExitCodes.AllClaimsHold, run.Describe());
            var capacity = run.Summary["capacity"]!.AsObject();
            var steps = capacity["steps"]!.AsArray().Select(s => s!.AsObject()).ToArray();
            Assert.Equal([20.0, 50, 100, 200, 400, 800], steps.Select(s => s["rate"]!.GetValue<double>()));
            Assert.All(steps, s => Assert.True(s["rps"]!.GetValue<double>() > 0, s.ToJsonString()));
            Assert.All(steps.Where(s => s["pass"] is not null), s =>
            {
                Assert.NotNull(s["p99Ms"]);
                Assert.NotNull(s["okRate"]);
            });

            // 20 payments a second are easy anywhere; the knee is the last judged step before the first that misses. A step
            // is left unjudged only when the harness itself was late in every second of it (a starved CI machine), and
            // then the run says so.
            var judged = steps.Where(s => s["pass"] is not null).ToArray();
            Assert.NotEmpty(judged);
            if (judged.Length < steps.Length)
            {
                Assert.Contains("warning: the load generator fell behind its schedule", run.Out, StringComparison.Ordinal);
                Assert.Contains("not judged (generator late)", run.Out, StringComparison.Ordinal);
                Assert.All(steps.Where(s => s["pass"] is null), s => Assert.True(s["lateSeconds"]!.GetValue<int>() > 0, s.ToJsonString()));
            }

            Assert.True(judged[0]["pass"]!.GetValue<bool>(), judged[0].ToJsonString());
            var knee = capacity["kneeRps"]!.GetValue<double>();
            Assert.Equal(ExpectedKnee(judged), knee);
            Assert.True(knee >= 20, run.Describe());
            Assert.Contains($"knee: {knee.ToString(CultureInfo.InvariantCulture)}/s", run.Out, StringComparison.Ordinal);
            Assert.Equal(0, run.Summary["duplicateCharges"]!.GetValue<long>());

            // report.html: each step's p99 against its rate, green or red as judged, and the knee marked at its rate.
            var html = await File.ReadAllTextAsync(Path.Combine(run.Folder, "report.html"));
            var chart = Regex.Match(html, "<figure class=\"chart\" data-chart=\"capacity\".*?</figure>", RegexOptions.Singleline).Value;
            Assert.NotEmpty(chart);
            Assert.Equal(
                judged.Select(s => (s["pass"]!.GetValue<bool>() ? "pass" : "fail", s["rate"]!.GetValue<double>(), Math.Round(s["p99Ms"]!.GetValue<double>(), 3))),
                Regex.Matches(chart, "<circle class=\"dot (pass|fail)\" data-x=\"([^\"]*)\" data-y=\"([^\"]*)\"")
                    .Select(m => (m.Groups[1].Value, double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture))));
            var marker = Regex.Match(chart, "data-marker=\"knee\" data-x=\"([^\"]*)\"");
            Assert.True(marker.Success, chart);
            Assert.Equal(knee, double.Parse(marker.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        finally
        {
            run.Delete();
        }
    }

    private static double ExpectedKnee(IReadOnlyList<JsonObject> steps)
    {
        var firstMiss = steps.ToList().FindIndex(s => !s["pass"]!.GetValue<bool>());
        return firstMiss < 0 ? steps[^1]["rate"]!.GetValue<double>() : steps[firstMiss - 1]["rate"]!.GetValue<double>();
    }
}

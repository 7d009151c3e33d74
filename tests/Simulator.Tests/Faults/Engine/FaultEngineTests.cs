using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Faults;
using PaySim.Simulator.Faults.Engine;
using PaySim.Simulator.Faults.Kinds.RateLimit;
using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Tests.Faults.Engine;

public sealed class FaultEngineTests
{
    [Fact]
    public void TenPercentErrorRule_Over10000Decisions_InjectsBetween900And1100()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""{ "name": "flaky", "node": "issuer-2", "method": "Authorize", "probability": 0.1, "error": { "grpcStatus": "UNAVAILABLE" } }""");

        var injected = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var decision = engine.Decide("issuer-2", "Authorize");
            if (decision.Action == FaultAction.Error)
            {
                Assert.Equal(StatusCode.Unavailable, decision.Status);
                injected++;
            }
        }

        Assert.InRange(injected, 900, 1_100);
        Assert.Equal(injected, engine.GetStats().ByRule()["flaky"]);
    }

    [Fact]
    public void RuleOnOneNodeAndMethod_LeavesOtherNodesAndMethodsAlone()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""{ "name": "x", "node": "issuer-2", "method": "Authorize", "error": { "grpcStatus": "INTERNAL" } }""");

        Assert.Equal(FaultAction.Error, engine.Decide("issuer-2", "Authorize").Action);
        Assert.Equal(FaultAction.Error, engine.Decide("issuer-2", "/paysim.issuer.v1.Issuer/Authorize").Action);
        Assert.True(engine.Decide("issuer-1", "Authorize").IsNone);
        Assert.True(engine.Decide("issuer-2", "Capture").IsNone);
    }

    [Fact]
    public void TimesThree_FailsExactlyTheFirstThreeMatchingCalls()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""{ "name": "first-three", "method": "Authorize", "times": 3, "error": { "grpcStatus": "UNAVAILABLE" } }""");

        var outcomes = Enumerable.Range(0, 10).Select(_ => engine.Decide("issuer-1", "Authorize").Action).ToArray();

        Assert.Equal([FaultAction.Error, FaultAction.Error, FaultAction.Error], outcomes[..3]);
        Assert.All(outcomes[3..], a => Assert.Equal(FaultAction.None, a));
    }

    [Fact]
    public void SameSeed_ReplaysTheSameDecisions_AndAnotherSeedDoesNot()
    {
        const string rules = """
            [ { "name": "e", "probability": 0.3, "error": { "grpcStatus": "UNAVAILABLE" } },
              { "name": "l", "probability": 0.5, "latency": { "lognormal": { "median": "50ms", "p99": "500ms" } } } ]
            """;
        string Run(ulong seed)
        {
            var engine = FaultTestEngine.Create(seed: seed);
            engine.Apply(rules);
            return string.Join(",", Enumerable.Range(0, 500).Select(i =>
            {
                var d = engine.Decide($"issuer-{(i % 3) + 1}", "Authorize");
                return $"{d.Action}/{d.Latency.Ticks}";
            }));
        }

        Assert.Equal(Run(11), Run(11));
        Assert.NotEqual(Run(11), Run(12));
    }

    [Fact]
    public void Draws_OfTwoRulesOnTheSameCall_AreIndependent()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""
            [ { "name": "a", "probability": 0.5, "latency": "1ms" },
              { "name": "b", "probability": 0.5, "latency": "2ms" } ]
            """);

        var both = 0;
        for (var i = 0; i < 10_000; i++)
        {
            if (engine.Decide("issuer-1", "Capture").Latency == TimeSpan.FromMilliseconds(3))
            {
                both++;
            }
        }

        // Independent draws: about a quarter of the calls get both delays (correlated ones would give a half).
        Assert.InRange(both, 2_300, 2_700);
    }

    [Fact]
    public void StartAndDuration_ActivateAndAutoRevertOnTheClock()
    {
        var time = new FakeTimeProvider();
        var engine = FaultTestEngine.Create(time);
        engine.Apply("""{ "name": "window", "start": "10s", "duration": "20s", "error": { "grpcStatus": "UNAVAILABLE" } }""");

        Assert.True(engine.Decide("issuer-1", "Authorize").IsNone);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(FaultAction.Error, engine.Decide("issuer-1", "Authorize").Action);
        time.Advance(TimeSpan.FromSeconds(19.9));
        Assert.Equal(FaultAction.Error, engine.Decide("issuer-1", "Authorize").Action);
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(engine.Decide("issuer-1", "Authorize").IsNone);
        Assert.Empty(engine.Rules);
        Assert.Equal(2, engine.GetStats().ByRule()["window"]);
    }

    [Fact]
    public void ProbabilityRamp_RisesLinearlyOverTheWindow()
    {
        var time = new FakeTimeProvider();
        var engine = FaultTestEngine.Create(time);
        engine.Apply("""{ "name": "brownout", "probability": 0.8, "ramp": { "over": "100s" }, "error": { "grpcStatus": "UNAVAILABLE" } }""");

        int Errors()
        {
            var n = 0;
            for (var i = 0; i < 4_000; i++)
            {
                n += engine.Decide("issuer-1", "Authorize").Action == FaultAction.Error ? 1 : 0;
            }

            return n;
        }

        Assert.Equal(0, Errors());
        time.Advance(TimeSpan.FromSeconds(50));
        Assert.InRange(Errors(), 1_400, 1_800);   // 0.4
        time.Advance(TimeSpan.FromSeconds(50));
        Assert.InRange(Errors(), 3_000, 3_400);   // 0.8
    }

    [Fact]
    public void LatencyRamp_ScalesTheDelayFromFromToFull()
    {
        var time = new FakeTimeProvider();
        var engine = FaultTestEngine.Create(time);
        engine.Apply("""{ "name": "slowing", "latency": "1s", "ramp": { "over": "10s", "from": 0.2 } }""");

        Assert.Equal(TimeSpan.FromMilliseconds(200), engine.Decide("issuer-1", "Authorize").Latency);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromMilliseconds(600), engine.Decide("issuer-1", "Authorize").Latency);
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(TimeSpan.FromSeconds(1), engine.Decide("issuer-1", "Authorize").Latency);
    }

    [Fact]
    public void SeveralMatchingRules_LatenciesAdd_AndTheFirstTerminalActionWins()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""
            [ { "name": "slow", "latency": "30ms" },
              { "name": "decline", "method": "Authorize", "decline": { "code": "91" } },
              { "name": "slower", "latency": "20ms" },
              { "name": "error", "error": { "grpcStatus": "INTERNAL" } } ]
            """);

        var decision = engine.Decide("issuer-3", "Authorize");

        Assert.Equal(TimeSpan.FromMilliseconds(50), decision.Latency);
        Assert.Equal(FaultAction.Decline, decision.Action);
        Assert.Equal("decline", decision.RuleName);
        Assert.Equal("91", decision.DeclineCode);
        Assert.Equal(DeclineReason.IssuerUnavailable, decision.DeclineReason);
        Assert.Equal(FaultAction.Error, engine.Decide("issuer-3", "Capture").Action);
        var stats = engine.GetStats().ByRule();
        Assert.Equal(1, stats["decline"]);
        Assert.Equal(1, stats["error"]);
        Assert.Equal(2, stats["slow"]);
    }

    [Fact]
    public void ApplyingARuleWithAnExistingName_ReplacesItInPlace()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""[ { "name": "a", "error": { "grpcStatus": "INTERNAL" } }, { "name": "b", "error": { "grpcStatus": "UNAVAILABLE" } } ]""");
        engine.Apply("""{ "name": "a", "error": { "grpcStatus": "ABORTED" } }""");

        Assert.Equal(["a", "b"], engine.Rules.Select(r => r.Name));
        Assert.Equal(StatusCode.Aborted, engine.Decide("issuer-1", "Refund").Status);
    }

    [Fact]
    public void Clear_ByNameOrAll_RemovesRulesButKeepsTheirCounts()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""[ { "name": "a", "latency": "1ms" }, { "name": "b", "latency": "2ms" } ]""");
        engine.Decide("issuer-1", "Refund");

        Assert.Equal(1, engine.Clear("a"));
        Assert.Equal(0, engine.Clear("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(2), engine.Decide("issuer-1", "Refund").Latency);
        Assert.Equal(1, engine.Clear());
        Assert.True(engine.Decide("issuer-1", "Refund").IsNone);
        Assert.Equal("[]", engine.RulesJson());
        Assert.Equal(1, engine.GetStats().ByRule()["a"]);
        Assert.Equal(2, engine.GetStats().ByRule()["b"]);
    }

    [Fact]
    public void MatchOnPanPrefixAndAmount_SelectsOnlyThoseCalls()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""{ "name": "big-unionpay", "match": { "panPrefix": "62", "amountMin": 100000 }, "decline": { "code": "61" } }""");

        Assert.True(engine.NeedsRequestFields);
        Assert.Equal(FaultAction.Decline, engine.Decide(new FaultRequest("issuer-1", "Authorize", pan: "6212345678901234", amountMinor: 150_000)).Action);
        Assert.True(engine.Decide(new FaultRequest("issuer-1", "Authorize", pan: "6212345678901234", amountMinor: 5_000)).IsNone);
        Assert.True(engine.Decide(new FaultRequest("issuer-1", "Authorize", pan: "4111111111111111", amountMinor: 150_000)).IsNone);
        Assert.True(engine.Decide(new FaultRequest("issuer-1", "StartBinding", pan: "6212345678901234")).IsNone);
    }

    [Fact]
    public void MatchOnMetadata_NeedsTheHeaderWithThatValue()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""{ "name": "tenant", "match": { "metadata": { "X-Tenant": "qa" } }, "error": { "grpcStatus": "INTERNAL" } }""");

        Assert.Equal(FaultAction.Error, engine.Decide("issuer-1", "Authorize", new Metadata { { "x-tenant", "qa" } }).Action);
        Assert.True(engine.Decide("issuer-1", "Authorize", new Metadata { { "x-tenant", "prod" } }).IsNone);
        Assert.True(engine.Decide("issuer-1", "Authorize").IsNone);
    }

    [Fact]
    public void XSimFaultHeader_ForcesANamedRuleForOneCall()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""{ "name": "never", "node": "issuer-3", "probability": 0, "reset": { "when": "after" } }""");

        var forced = engine.Decide("issuer-1", "Authorize", new Metadata { { "x-sim-fault", "never" } });

        Assert.Equal(FaultAction.Reset, forced.Action);
        Assert.Equal(ResetWhen.After, forced.ResetWhen);
        Assert.True(engine.Decide("issuer-1", "Authorize").IsNone);
        Assert.Equal(1, engine.GetStats().ByRule()["never"]);
    }

    [Fact]
    public void XSimFaultHeader_WithUnknownRule_FailsWithInvalidArgumentNamingIt()
    {
        var engine = FaultTestEngine.Create();

        var decision = engine.Decide("issuer-1", "Authorize", new Metadata { { "x-sim-fault", "typo" } });

        Assert.Equal(StatusCode.InvalidArgument, decision.Status);
        Assert.StartsWith("x-sim-fault 'typo' names no active rule", decision.Message);
        Assert.True(decision.Refused);
    }

    [Fact]
    public void DelayAndStatusHeaders_InjectWithoutAnyRule()
    {
        var engine = FaultTestEngine.Create();

        var decision = engine.Decide("issuer-1", "Capture", new Metadata { { "x-sim-delay-ms", "75" }, { "x-sim-status", "DEADLINE_EXCEEDED" } });

        Assert.Equal(TimeSpan.FromMilliseconds(75), decision.Latency);
        Assert.Equal(FaultAction.Error, decision.Action);
        Assert.Equal(StatusCode.DeadlineExceeded, decision.Status);
    }

    [Fact]
    public void HeaderOverridesOff_IgnoresEveryHeader()
    {
        var engine = FaultTestEngine.Create(headers: false);
        engine.Apply("""{ "name": "r", "probability": 0, "hang": {} }""");

        var decision = engine.Decide("issuer-1", "Capture", new Metadata { { "x-sim-delay-ms", "75" }, { "x-sim-status", "INTERNAL" }, { "x-sim-fault", "r" } });

        Assert.True(decision.IsNone);
    }

    [Fact]
    public void MaxActiveFaults_SuppressesFaultsBeyondTheLimitUntilOneCompletes()
    {
        var engine = FaultTestEngine.Create(maxActiveFaults: 2);
        engine.Apply("""{ "name": "h", "hang": {} }""");

        var first = engine.Decide("issuer-1", "Authorize");
        var second = engine.Decide("issuer-1", "Authorize");
        var third = engine.Decide("issuer-1", "Authorize");
        engine.Complete(first);
        var fourth = engine.Decide("issuer-1", "Authorize");

        Assert.Equal([FaultAction.Hang, FaultAction.Hang, FaultAction.None, FaultAction.Hang], new[] { first.Action, second.Action, third.Action, fourth.Action });
        Assert.Equal(1, engine.GetStats().SkippedAtMaxActiveFaults);
        Assert.Equal(3, engine.GetStats().ByRule()["h"]);
    }

    [Fact]
    public void RateLimit_EmptyBucket_GivesResourceExhaustedWithPushback_AndRefillsOnTheClock()
    {
        var time = new FakeTimeProvider();
        var engine = FaultTestEngine.Create(time);
        engine.Apply("""{ "name": "rl", "node": "issuer-1", "rateLimit": { "perSecond": 10, "burst": 5 } }""");

        var actions = Enumerable.Range(0, 8).Select(_ => engine.Decide("issuer-1", "Authorize")).ToArray();

        Assert.Equal(5, actions.Count(a => a.IsNone));
        var limited = actions[5];
        Assert.Equal(StatusCode.ResourceExhausted, limited.Status);
        Assert.Same(RateLimitKind.Instance, limited.Kind);
        Assert.Equal(100, limited.RetryPushbackMs);
        Assert.True(engine.Decide("issuer-2", "Authorize").IsNone);
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(engine.Decide("issuer-1", "Capture").IsNone);
        Assert.Equal(StatusCode.ResourceExhausted, engine.Decide("issuer-1", "Capture").Status);
    }

    [Fact]
    public void Capacity_GivesEveryCallOfTheNodeTheSameGate()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""{ "name": "cap", "node": "issuer-1", "capacity": { "maxConcurrent": 2 } }""");

        var a = engine.Decide("issuer-1", "Authorize").Gate;
        var b = engine.Decide("issuer-1", "Capture").Gate;

        Assert.NotNull(a);
        Assert.Same(a, b);
        Assert.Equal(2, a.MaxConcurrent);
        Assert.Null(engine.Decide("issuer-2", "Capture").Gate);
    }

    [Fact]
    public void OutageAndFlap_DriveTheNodeStateOnTheClock()
    {
        var time = new FakeTimeProvider();
        var engine = FaultTestEngine.Create(time);
        engine.Apply("""
            [ { "name": "down", "node": "issuer-1", "outage": {}, "start": "5s", "duration": "10s" },
              { "name": "flap", "node": "issuer-2", "flap": { "period": "10s", "downFor": "3s" } },
              { "name": "sick", "node": "issuer-3", "notServing": {} } ]
            """);

        Assert.Equal(NodeFaultState.None, engine.GetNodeState("issuer-1"));
        Assert.Equal(NodeFaultState.Down, engine.GetNodeState("issuer-2"));
        Assert.Equal(NodeFaultState.NotServing, engine.GetNodeState("issuer-3"));
        Assert.Equal(FaultAction.Outage, engine.Decide("issuer-2", "Authorize").Action);
        Assert.True(engine.Decide("issuer-3", "Authorize").IsNone);

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(NodeFaultState.Down, engine.GetNodeState("issuer-1"));
        Assert.Equal(NodeFaultState.None, engine.GetNodeState("issuer-2"));
        Assert.True(engine.Decide("issuer-2", "Authorize").IsNone);

        time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(NodeFaultState.None, engine.GetNodeState("issuer-1"));
        Assert.Equal(NodeFaultState.Down, engine.GetNodeState("issuer-2"));
    }

    [Fact]
    public void Journal_KeepsTheLastNCallsInOrder()
    {
        var engine = FaultTestEngine.Create(journal: 3);
        for (var i = 0; i < 5; i++)
        {
            engine.Journal.Record(new FaultJournalEntry(DateTimeOffset.UnixEpoch, "issuer-1", $"m{i}", null, "OK", 0));
        }

        Assert.Equal(["m2", "m3", "m4"], engine.Journal.Snapshot().Select(e => e.Method));
        Assert.Equal(5, engine.Journal.Written);
        Assert.False(FaultTestEngine.Create().Journal.Enabled);
    }

    [Fact]
    public void StatsByKind_CountInjectionsPerNodeAndMethod()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""[ { "name": "l", "node": "issuer-1", "latency": "1ms" }, { "name": "e", "node": "issuer-1", "method": "Capture", "error": { "grpcStatus": "INTERNAL" } } ]""");

        engine.Decide("issuer-1", "Capture");
        engine.Decide("issuer-1", "Capture");
        engine.Decide("issuer-1", "Authorize");

        var stats = engine.GetStats();
        Assert.Equal(new Dictionary<string, long> { ["latency"] = 2, ["error"] = 2 }, stats.ByKind("issuer-1", "Capture"));
        Assert.Equal(new Dictionary<string, long> { ["latency"] = 3, ["error"] = 2 }, stats.ByKind("issuer-1"));
        Assert.Empty(stats.ByKind("issuer-2"));
    }

    [Fact]
    public void StarRule_OnMethodsAndNodesTheContextDoesNotList_CountsUnderTheCallsOwnNodeAndMethod_NeverStar()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""{ "name": "any", "latency": "1ms" }""");

        engine.Decide("issuer-1", "Unlisted");
        engine.Decide("issuer-1", "Unlisted");
        engine.Decide("issuer-1", "/paysim.test.v1.Other/Unlisted");
        engine.Decide("sms", "ListMessages");
        engine.Decide("issuer-9", "Authorize");

        var stats = engine.GetStats();
        Assert.Equal(
            ["issuer-1/Unlisted/latency=3", "issuer-9/Authorize/latency=1", "sms/ListMessages/latency=1"],
            stats.Counters.Select(c => $"{c.Node}/{c.Method}/{c.Kind}={c.Injections}").Order(StringComparer.Ordinal));
        Assert.Equal(5, stats.ByRule()["any"]);

        // Cleared rules keep their counts, still under the real names.
        engine.Clear();
        Assert.Equal(3, engine.GetStats().ByKind("issuer-1", "Unlisted")["latency"]);
    }

    [Fact]
    public void SmsRules_CombineTheirEffectsOnOneMessage()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""
            [ { "name": "d1", "node": "sms", "smsDelay": "2s" },
              { "name": "d2", "node": "sms", "smsDelay": { "fixed": "3s" } },
              { "name": "dup", "node": "sms", "smsDuplicate": {} },
              { "name": "late", "node": "sms", "match": { "phone": "13800000001" }, "smsAfterExpiry": { "extra": "2s" } } ]
            """);

        var sms = engine.Decide(FaultRequest.ForSms("sms", "13800000001")).Sms;

        Assert.Equal(TimeSpan.FromSeconds(5), sms.Delay);
        Assert.Equal(2, sms.Copies);
        Assert.Equal(TimeSpan.FromSeconds(2), sms.AfterExpiry);
        Assert.False(sms.Drop);
        Assert.Null(engine.Decide(FaultRequest.ForSms("sms", "13800000002")).Sms.AfterExpiry);
        Assert.True(engine.Decide(new FaultRequest("sms", "Send", phone: "13800000001")).IsNone);
    }

    [Fact]
    public void DeclineWithSeveralReasons_SpreadsThemEvenly()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""{ "name": "wrong", "method": "StartBinding", "decline": { "code": "05", "reasons": ["NAME_MISMATCH", "ID_MISMATCH", "PHONE_MISMATCH"] } }""");

        var counts = Enumerable.Range(0, 3_000)
            .Select(_ => engine.Decide("issuer-1", "StartBinding").DeclineReason)
            .GroupBy(r => r)
            .ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(3, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 900, 1_100));
    }

    [Fact]
    public void NothingFires_DecideAllocatesNothing()
    {
        var engine = FaultTestEngine.Create();
        var rules = string.Join(",", Enumerable.Range(0, 100).Select(i =>
            i % 2 == 0
                ? $$"""{ "name": "r{{i}}", "node": "issuer-1", "probability": 0, "latency": "1ms" }"""
                : $$"""{ "name": "r{{i}}", "node": "issuer-2", "probability": 0.5, "latency": "1ms" }"""));
        engine.Apply($"[{rules}]");
        var headers = new Metadata { { "x-request-id", "abc" } };
        var request = new FaultRequest("issuer-1", "/paysim.issuer.v1.Issuer/Authorize", headers);
        engine.Decide(in request);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            engine.Decide(in request);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

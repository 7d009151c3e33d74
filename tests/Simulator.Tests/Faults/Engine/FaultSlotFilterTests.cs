using System.Globalization;
using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using PaySim.Simulator.Faults;
using PaySim.Simulator.Faults.Engine;
using PaySim.Simulator.Faults.Kinds.Latency;
using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Tests.Faults.Engine;

/// <summary>
/// The per-(node, method) prefilter must select exactly the rules a call can match: a rule it
/// drops would silently never fire, so every test here compares it with the plain definition
/// (<see cref="FaultMatch.Matches"/>) or with the engine's linear scan.
/// </summary>
public sealed class FaultSlotFilterTests
{
    private static readonly FaultRuleContext Context = FaultRuleContext.ForIssuers(3);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 7)]
    [InlineData(63, 2)]
    [InlineData(64, 3)]
    [InlineData(65, 4)]
    [InlineData(130, 5)]
    [InlineData(300, 6)]
    [InlineData(1_025, 7, true)]
    [InlineData(1_500, 8)]
    [InlineData(1_500, 9, true)]
    [InlineData(5_000, 10, true)]
    public void Filter_OnRandomRulesAndCalls_SelectsExactlyTheSlotsWhoseMatchHolds(int rules, int seed, bool wide = false)
    {
        // wide: thousands of distinct cards, prefixes, phones and amount bounds (amount checkpoints,
        // the per-length prefix look-up, sparse per-value sets with many entries).
        var random = new Random(seed);
        var set = FaultRuleParser.Parse(FaultRandomRules.Json(random, rules, anyNode: false, wide: wide), Context);
        var time = new FakeTimeProvider();
        var slots = set.Rules.Select((rule, i) => new FaultRuleState(rule, 7, time, i).Slot("issuer-1", "Authorize")).ToArray();
        var filter = FaultSlotFilter.Create(slots);
        Assert.NotNull(filter);
        Assert.Equal((rules + 63) / 64, filter.Words);

        var selected = 0;
        var calls = rules > 1_000 ? 1_000 : 3_000;
        Span<ulong> mask = stackalloc ulong[FaultSlotFilter.MaxWords];
        for (var call = 0; call < calls; call++)
        {
            var request = FaultRandomRules.Request(random, wide: wide);

            // Garbage in the mask must not leak into the selection (the engine's stackalloc is not cleared on every runtime).
            mask.Fill(0xA5A5_A5A5_A5A5_A5A5UL);
            var any = filter.Select(in request, mask);
            var expectedAny = false;
            for (var i = 0; i < slots.Length; i++)
            {
                var rule = set.Rules[i];
                var matches = rule.Match?.Matches(in request) ?? true;
                var expected = rule.Kind.Flags.HasFlag(FaultKindFlags.SmsPath) == request.SmsDelivery && matches;
                var actual = (mask[i >> 6] & (1UL << (i & 63))) != 0;
                if (expected != actual || matches != (!slots[i].HasMatch || slots[i].Matches(in request)))
                {
                    Assert.Fail($"rule {rule.Name} {rule.Json}: expected {(expected ? "selected" : "dropped")} for {Describe(request)}");
                }

                expectedAny |= expected;
                selected += expected ? 1 : 0;
            }

            Assert.Equal(expectedAny, any);
        }

        // The random pools must produce hits as well as misses, or the test proves nothing.
        Assert.InRange(selected, 1, (calls * rules) - 1);
    }

    [Theory]
    [InlineData(40, 11)]
    [InlineData(100, 12)]
    [InlineData(200, 13)]
    [InlineData(1_500, 14)]
    [InlineData(1_500, 15, true)]
    [InlineData(5_000, 16, true)]
    public void IndexedEngine_OnThousandsOfRandomCalls_DecidesExactlyLikeTheLinearScan(int rules, int seed, bool wide = false)
    {
        var json = FaultRandomRules.Json(new Random(seed), rules, wide: wide);
        var indexedTime = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var linearTime = new FakeTimeProvider(indexedTime.GetUtcNow());
        var indexed = FaultTestEngine.Create(indexedTime, seed: 99, maxActiveFaults: 4);
        var linear = FaultTestEngine.Create(linearTime, seed: 99, maxActiveFaults: 4);
        linear.Prefilter = false;
        indexed.Apply(json);
        linear.Apply(json);

        var random = new Random(seed);
        var heldIndexed = new Queue<FaultDecision>();
        var heldLinear = new Queue<FaultDecision>();
        var injected = 0;
        for (var call = 0; call < 6_000; call++)
        {
            var request = FaultRandomRules.Request(random, wide: wide);
            var a = indexed.Decide(in request);
            var b = linear.Decide(in request);
            Assert.Equal(Describe(b), Describe(a));
            injected += a.Injections;

            // Hold a few faulted calls open so maxActiveFaults also gets to refuse some.
            heldIndexed.Enqueue(a);
            heldLinear.Enqueue(b);
            if (heldIndexed.Count > 3)
            {
                indexed.Complete(heldIndexed.Dequeue());
                linear.Complete(heldLinear.Dequeue());
            }

            if (call % 50 == 49)
            {
                // Walk through start/duration windows and ramps (up to 60 s).
                indexedTime.Advance(TimeSpan.FromMilliseconds(500));
                linearTime.Advance(TimeSpan.FromMilliseconds(500));
            }
        }

        var indexedStats = indexed.GetStats();
        var linearStats = linear.GetStats();
        Assert.Equal(linearStats.ByRule().OrderBy(r => r.Key), indexedStats.ByRule().OrderBy(r => r.Key));
        Assert.Equal(
            linearStats.Counters.Select(c => $"{c.Node}/{c.Method}/{c.Kind}={c.Injections}").Order(),
            indexedStats.Counters.Select(c => $"{c.Node}/{c.Method}/{c.Kind}={c.Injections}").Order());
        Assert.Equal(linearStats.SkippedAtMaxActiveFaults, indexedStats.SkippedAtMaxActiveFaults);
        Assert.InRange(injected, 100, int.MaxValue);
    }

    [Fact]
    public void LatencyRules_OnRandomCalls_AddTheDelaysOfExactlyTheRulesWhoseMatchHolds()
    {
        var random = new Random(21);
        var json = FaultRandomRules.Json(random, 150, anyKind: false);
        var engine = FaultTestEngine.Create();
        engine.Apply(json);
        var rules = FaultRuleParser.Parse(json, Context).Rules;

        var expectedByRule = new Dictionary<string, long>();
        var fired = 0;
        for (var call = 0; call < 4_000; call++)
        {
            var request = FaultRandomRules.Request(random, shortMethods: true);
            var matching = request.SmsDelivery
                ? []
                : rules.Where(r => FaultRuleContext.NodeMatches(r.Node, request.Node)
                                   && (r.Method == "*" || r.Method == request.Method)
                                   && (r.Match?.Matches(in request) ?? true)).ToArray();

            var decision = engine.Decide(in request);

            Assert.Equal(matching.Length, decision.Injections);
            Assert.Equal(TimeSpan.FromMilliseconds(matching.Sum(r => r.OptionsAs<LatencyDistribution>()!.Min.TotalMilliseconds)), decision.Latency);
            Assert.Equal(matching.FirstOrDefault()?.Name, decision.RuleName);
            foreach (var rule in matching)
            {
                expectedByRule[rule.Name] = expectedByRule.GetValueOrDefault(rule.Name) + 1;
            }

            fired += matching.Length;
        }

        Assert.Equal(expectedByRule.OrderBy(r => r.Key), engine.GetStats().ByRule().Where(r => r.Value > 0).OrderBy(r => r.Key));
        Assert.InRange(fired, 1_000, int.MaxValue);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(0L, false)]
    [InlineData(99L, false)]
    [InlineData(100L, true)]
    [InlineData(150L, true)]
    [InlineData(200L, true)]
    [InlineData(201L, false)]
    [InlineData(long.MaxValue, false)]
    public void AmountRange_IncludesBothBounds_AndNothingOutsideThem(long? amount, bool fires)
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""
            [ { "name": "range", "match": { "amountMin": 100, "amountMax": 200 }, "decline": { "code": "61" } },
              { "name": "other-card", "match": { "panPrefix": "5" }, "error": { "grpcStatus": "INTERNAL" } } ]
            """);

        var decision = engine.Decide(new FaultRequest("issuer-1", "Authorize", pan: "4111111111111111", amountMinor: amount));

        Assert.Equal(fires ? "range" : null, decision.RuleName);
        Assert.Equal(fires ? "61" : null, decision.DeclineCode);
    }

    [Theory]
    [InlineData(0L, "max-only")]
    [InlineData(500L, "max-only")]
    [InlineData(501L, "min-only")]
    [InlineData(999L, "min-only")]
    [InlineData(1_000L, "min-only")]
    [InlineData(long.MaxValue, "top")]
    public void OpenEndedAmountRanges_SplitAtTheirInclusiveBounds(long amount, string rule)
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""
            [ { "name": "max-only", "match": { "amountMax": 500 }, "decline": { "code": "51" } },
              { "name": "top", "match": { "amountMin": 9223372036854775807 }, "decline": { "code": "61" } },
              { "name": "min-only", "match": { "amountMin": 501 }, "decline": { "code": "05" } } ]
            """);

        Assert.Equal(rule, engine.Decide(new FaultRequest("issuer-2", "Capture", amountMinor: amount)).RuleName);
    }

    [Fact]
    public void RulesBeyondTheFirst64_FireInRuleOrder_LatenciesAddAndTheFirstTerminalWins()
    {
        var json = new StringBuilder("[");
        for (var i = 0; i < 130; i++)
        {
            var body = i switch
            {
                70 => "\"match\":{\"metadata\":{\"x-tenant\":\"qa\"}},\"latency\":{\"fixed\":\"7ms\"}",
                100 => "\"match\":{\"panPrefix\":\"41\",\"phone\":\"+70000000001\"},\"error\":{\"grpcStatus\":\"UNAVAILABLE\"}",
                127 => "\"match\":{\"panPrefix\":\"4\"},\"latency\":{\"fixed\":\"11ms\"}",
                129 => "\"match\":{\"pan\":\"4111111111111111\"},\"decline\":{\"code\":\"91\"}",
                _ => string.Create(CultureInfo.InvariantCulture, $"\"match\":{{\"amountMin\":{1_000 + i}}},\"error\":{{\"grpcStatus\":\"INTERNAL\"}}"),
            };
            json.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"name\":\"r{i}\",{body}}}");
        }

        var engine = FaultTestEngine.Create();
        engine.Apply(json.Append(']').ToString());
        var headers = new Metadata { { "x-tenant", "qa" } };

        var all = engine.Decide(new FaultRequest("issuer-1", "Authorize", headers, pan: "4111111111111111", phone: "+70000000001", amountMinor: 10));
        var declineOnly = engine.Decide(new FaultRequest("issuer-1", "Authorize", pan: "4111111111111111", phone: "+70000000002", amountMinor: 10));
        var nothing = engine.Decide(new FaultRequest("issuer-1", "Authorize", pan: "5555555555554444", amountMinor: 10));

        Assert.Equal(("r100", FaultAction.Error, StatusCode.Unavailable, TimeSpan.FromMilliseconds(18), 3), (all.RuleName, all.Action, all.Status, all.Latency, all.Injections));
        Assert.Equal(("r129", FaultAction.Decline, "91", TimeSpan.FromMilliseconds(11), 2), (declineOnly.RuleName, declineOnly.Action, declineOnly.DeclineCode, declineOnly.Latency, declineOnly.Injections));
        Assert.True(nothing.IsNone);
    }

    [Fact]
    public void NoRules_AndAnEmptySlotList_DecideNothing()
    {
        var engine = FaultTestEngine.Create();

        Assert.True(engine.Decide(new FaultRequest("issuer-1", "Authorize", pan: "4111111111111111", amountMinor: 5)).IsNone);
        Assert.Null(FaultSlotFilter.Create([]));
        Assert.Null(FaultSlotList.Empty.Filter);
    }

    [Fact]
    public void RulesWithoutAnyMatch_AreScannedLinearly_AndStillFire()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""[ { "name": "slow", "latency": "3ms" }, { "name": "down", "error": { "grpcStatus": "UNAVAILABLE" } } ]""");
        var time = new FakeTimeProvider();
        var slots = engine.Rules.Select((r, i) => new FaultRuleState(r, 7, time, i).Slot("issuer-1", "Authorize")).ToArray();

        var decision = engine.Decide("issuer-1", "Authorize");

        Assert.Null(FaultSlotFilter.Create(slots));
        Assert.Equal(("down", TimeSpan.FromMilliseconds(3), 2), (decision.RuleName, decision.Latency, decision.Injections));
    }

    [Fact]
    public void FiveThousandSlots_AreFiltered_NotScanned_AndTheLastRuleStillFires()
    {
        // Issue 20: beyond 1,024 slots the engine used to scan every rule. Every list it can hold
        // now gets a filter; only a list longer than MaxSlots (more than the rules one engine
        // accepts) would be scanned.
        const int count = 5_000;
        var json = "[" + string.Join(",", Enumerable.Range(0, count).Select(i => i == count - 1
            ? """{"name":"last","match":{"phone":"+70000000003"},"decline":{"code":"57"}}"""
            : string.Create(CultureInfo.InvariantCulture, $$$"""{"name":"n{{{i}}}","match":{"amountMin":{{{1_000_000 + i}}}},"decline":{"code":"51"}}"""))) + "]";
        var time = new FakeTimeProvider();
        var rules = FaultRuleParser.Parse(json, Context).Rules;
        var slots = rules.Select((r, i) => new FaultRuleState(r, 7, time, i).Slot("issuer-1", "Authorize")).ToArray();
        var engine = FaultTestEngine.Create();
        engine.Apply(json);
        var states = engine.Rules.Select((r, i) => new FaultRuleState(r, 7, time, i)).ToArray();
        var list = FaultIndex.Build(states, Context, (_, _) => new FaultSequence()).Find("issuer-1", "Authorize");

        var decision = engine.Decide(new FaultRequest("issuer-1", "Authorize", phone: "+70000000003", amountMinor: 5));
        var filter = FaultSlotFilter.Create(slots);

        Assert.True(FaultDefaults.MaxRules <= FaultSlotFilter.MaxSlots);
        Assert.NotNull(filter);
        Assert.Equal(79, filter.Words);
        Assert.Equal(count, list.Slots.Length);
        Assert.NotNull(list.Filter);
        Assert.Null(FaultSlotFilter.Create([.. Enumerable.Range(0, FaultSlotFilter.MaxSlots + 1).Select(i => slots[i % count])]));
        Assert.Equal(("last", "57", 1), (decision.RuleName, decision.DeclineCode, decision.Injections));

        // Amount 1,002,500 is within 2,501 rules' ranges (n0..n2500); with the phone, the last rule as well.
        Assert.Equal(2_502, Count(filter, new FaultRequest("issuer-1", "Authorize", phone: "+70000000003", amountMinor: 1_002_500)));
        Assert.Equal(2_501, Count(filter, new FaultRequest("issuer-1", "Authorize", amountMinor: 1_002_500)));
        Assert.Equal(0, Count(filter, new FaultRequest("issuer-1", "Authorize", amountMinor: 999_999)));
        Assert.Equal(count - 1, Count(filter, new FaultRequest("issuer-1", "Authorize", amountMinor: long.MaxValue)));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(10_000)]
    public void IdleRulesOfTheBenchmark_AreAllRejectedBeforeAnySlotIsVisited(int rules)
    {
        var list = IdleList(rules);
        var quarter = rules / 4;
        var request = new FaultRequest("issuer-1", "Authorize", headers: null, pan: "6299990000000000", amountMinor: 100);
        Span<ulong> mask = stackalloc ulong[FaultSlotFilter.MaxWords];

        // The probability-0 quarter never becomes a slot; the other three quarters are filtered.
        Assert.Equal(3 * quarter, list.Slots.Length);
        Assert.NotNull(list.Filter);
        Assert.False(list.Filter.Select(in request, mask));
        Assert.False(list.Filter.Select(new FaultRequest("issuer-1", "Authorize", headers: [], pan: "6299990000000000", amountMinor: 100), mask));

        // Each quarter fires once its own condition holds, so the rejection above is not vacuous.
        var visa = new FaultRequest("issuer-1", "Authorize", pan: "4111111111111111", amountMinor: 100);
        var tenant = new FaultRequest("issuer-1", "Authorize", new Metadata { { "x-bench-tenant", "never" } }, pan: "6299990000000000", amountMinor: 100);
        var large = new FaultRequest("issuer-1", "Authorize", pan: "6299990000000000", amountMinor: 1_000_000_000_000);
        Assert.Equal(quarter, Count(list.Filter, visa));
        Assert.Equal(quarter, Count(list.Filter, tenant));
        Assert.Equal(quarter, Count(list.Filter, large));
    }

    private static FaultSlotList IdleList(int rules)
    {
        // The rules of src/Benchmarks/Fixtures/IdleFaultRules.cs: a quarter each idle by
        // probability 0, an amount range, a metadata match and a Visa prefix.
        var json = "[" + string.Join(",", Enumerable.Range(0, rules).Select(i =>
        {
            var head = string.Create(CultureInfo.InvariantCulture, $"\"name\":\"idle-{i:000}\",\"node\":\"{(i % 2 == 0 ? "*" : "issuer-*")}\",\"method\":\"{(i % 3 == 0 ? "*" : "Authorize")}\"");
            return (i % 4) switch
            {
                0 => "{" + head + ""","probability":0,"error":{"grpcStatus":"UNAVAILABLE"}}""",
                1 => "{" + head + ""","match":{"amountMin":1000000000000},"decline":{"code":"51"}}""",
                2 => "{" + head + ""","match":{"metadata":{"x-bench-tenant":"never"}},"latency":{"fixed":"50ms"}}""",
                _ => "{" + head + ""","match":{"panPrefix":"4"},"error":{"grpcStatus":"INTERNAL"}}""",
            };
        })) + "]";
        var time = new FakeTimeProvider();
        var states = FaultRuleParser.Parse(json, Context).Rules.Select((r, i) => new FaultRuleState(r, 7, time, i)).ToArray();
        return FaultIndex.Build(states, Context, (_, _) => new FaultSequence()).Find("issuer-1", "Authorize");
    }

    [Fact]
    public void MetadataRules_MatchOnTheLastValueOfAHeader_AndNeverOnABinaryOne()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""
            [ { "name": "qa", "match": { "metadata": { "x-tenant": "qa" } }, "latency": "5ms" },
              { "name": "qa-eu", "match": { "metadata": { "x-tenant": "qa", "x-region": "eu" } }, "latency": "7ms" },
              { "name": "blob", "match": { "metadata": { "x-blob-bin": "qa" } }, "latency": "11ms" },
              { "name": "any", "match": { "amountMax": 10 }, "latency": "13ms" } ]
            """);

        TimeSpan Latency(Metadata? headers) => engine.Decide(new FaultRequest("issuer-3", "Refund", headers, amountMinor: 5)).Latency;

        Assert.Equal(TimeSpan.FromMilliseconds(13), Latency(null));
        Assert.Equal(TimeSpan.FromMilliseconds(13), Latency([]));
        Assert.Equal(TimeSpan.FromMilliseconds(18), Latency(new Metadata { { "x-tenant", "qa" } }));
        Assert.Equal(TimeSpan.FromMilliseconds(25), Latency(new Metadata { { "x-region", "eu" }, { "x-tenant", "qa" } }));
        Assert.Equal(TimeSpan.FromMilliseconds(13), Latency(new Metadata { { "x-region", "eu" }, { "x-tenant", "prod" } }));
        Assert.Equal(TimeSpan.FromMilliseconds(13), Latency(new Metadata { { "x-blob-bin", Encoding.ASCII.GetBytes("qa") } }));
        Assert.Equal(TimeSpan.FromMilliseconds(18), Latency(new Metadata { { "x-tenant", "prod" }, { "x-tenant", "qa" } }));
        Assert.Equal(TimeSpan.FromMilliseconds(13), Latency(new Metadata { { "x-tenant", "qa" }, { "x-tenant", "prod" } }));
    }

    private static int Count(FaultSlotFilter filter, FaultRequest request)
    {
        Span<ulong> mask = stackalloc ulong[FaultSlotFilter.MaxWords];
        filter.Select(in request, mask);
        var count = 0;
        foreach (var word in mask)
        {
            count += System.Numerics.BitOperations.PopCount(word);
        }

        return count;
    }

    private static string Describe(in FaultRequest r) =>
        $"{r.Node}/{r.Method} pan={r.Pan ?? "-"} phone={r.Phone ?? "-"} amount={r.AmountMinor?.ToString(CultureInfo.InvariantCulture) ?? "-"} sms={r.SmsDelivery} "
        + $"headers={(r.Headers is null ? "-" : string.Join(";", r.Headers.Select(h => h.IsBinary ? h.Key + "=<bin>" : h.Key + "=" + h.Value)))}";

    private static string Describe(FaultDecision d) =>
        string.Create(CultureInfo.InvariantCulture, $"{d.Action} rule={d.RuleName} kind={d.Kind} latency={d.Latency.Ticks} status={d.Status} msg={d.Message} ")
        + string.Create(CultureInfo.InvariantCulture, $"pushback={d.RetryPushbackMs} decline={d.DeclineCode}/{d.DeclineReason} reset={d.ResetWhen} hang={d.HangMax.Ticks} gate={d.Gate is not null} ")
        + string.Create(CultureInfo.InvariantCulture, $"sms={d.Sms.Delay.Ticks}/{d.Sms.Drop}/{d.Sms.Copies}/{d.Sms.ReorderWindow.Ticks}/{d.Sms.AfterExpiry?.Ticks} n={d.Injections} holds={d.HoldsActiveFault}");
}

using Grpc.Core;
using PaySim.Contracts.Durations;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Faults;
using PaySim.Simulator.Faults.Kinds;
using PaySim.Simulator.Faults.Kinds.Decline;
using PaySim.Simulator.Faults.Kinds.Error;
using PaySim.Simulator.Faults.Kinds.Latency;
using PaySim.Simulator.Faults.Kinds.Reset;
using PaySim.Simulator.Faults.Kinds.SmsDuplicate;
using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Tests.Faults.Rules;

public sealed class FaultRuleParserTests
{
    private static readonly FaultRuleContext Context = FaultRuleContext.ForIssuers(3);

    [Fact]
    public void Parse_DesignDocumentExample_ParsesAsWritten()
    {
        var set = FaultRuleParser.Parse(
            """
            { "name": "flaky-auth", "node": "issuer-2", "method": "Authorize", "probability": 0.1,
              "error": { "grpcStatus": "UNAVAILABLE" }, "start": "10s", "duration": "20s" }
            """,
            Context);

        var rule = Assert.Single(set.Rules);
        Assert.Equal("flaky-auth", rule.Name);
        Assert.Equal("issuer-2", rule.Node);
        Assert.Equal("Authorize", rule.Method);
        Assert.Equal(0.1, rule.Probability);
        Assert.Same(ErrorKind.Instance, rule.Kind);
        Assert.Equal(StatusCode.Unavailable, rule.OptionsAs<ErrorOptions>()!.Status);
        Assert.Equal(TimeSpan.FromSeconds(10), rule.Start);
        Assert.Equal(TimeSpan.FromSeconds(20), rule.Duration);
    }

    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("10s", 10_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("0", 0)]
    public void Duration_InHumanUnits_ParsesToMilliseconds(string text, int expectedMs)
    {
        Assert.True(HumanDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), value);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("10 sec")]
    [InlineData("fast")]
    [InlineData("")]
    public void Duration_WithoutAKnownUnit_IsRefused(string text) => Assert.False(HumanDuration.TryParse(text, out _));

    [Fact]
    public void Parse_EveryKind_ParsesWithItsOptions()
    {
        var set = FaultRuleParser.Parse(
            """
            [
              { "name": "l1", "latency": "50ms" },
              { "name": "l2", "latency": { "uniform": { "min": "10ms", "max": "20ms" } } },
              { "name": "l3", "latency": { "lognormal": { "median": "80ms", "p99": "800ms", "max": "2s" } } },
              { "name": "e", "error": { "grpcStatus": "RESOURCE_EXHAUSTED", "message": "slow down", "retryPushbackMs": 500 } },
              { "name": "d", "decline": { "code": "91" } },
              { "name": "h", "hang": {} },
              { "name": "r", "reset": { "when": "after" } },
              { "name": "o", "node": "issuer-1", "outage": {} },
              { "name": "ns", "node": "issuer-1", "notServing": {} },
              { "name": "f", "node": "issuer-1", "flap": { "period": "10s", "downFor": "2s" } },
              { "name": "c", "capacity": { "maxConcurrent": 4 } },
              { "name": "rl", "rateLimit": { "perSecond": 50, "burst": 5 } },
              { "name": "sd", "node": "sms", "smsDelay": { "fixed": "3s" } },
              { "name": "sx", "node": "sms", "smsDrop": {} },
              { "name": "s2", "node": "sms", "smsDuplicate": { "copies": 3 } },
              { "name": "so", "node": "sms", "smsReorder": { "window": "2s" } },
              { "name": "se", "node": "sms", "smsAfterExpiry": {} },
              { "name": "x", "corrupt": { "mode": "truncate" } }
            ]
            """,
            Context);

        Assert.Equal(18, set.Rules.Count);
        Assert.Equal(16, set.Rules.Select(r => r.Kind).Distinct().Count()); // a new kind proves itself in FaultKindCatalogTests
        Assert.Equal(LatencyShape.LogNormal, set.Rules[2].OptionsAs<LatencyDistribution>()!.Shape);
        Assert.Equal(500, set.Rules[3].OptionsAs<ErrorOptions>()!.RetryPushbackMs);
        Assert.Equal(DeclineReason.IssuerUnavailable, set.Rules[4].OptionsAs<DeclineOptions>()!.Reasons[0]);
        Assert.Equal(ResetWhen.After, set.Rules[6].OptionsAs<ResetOptions>()!.When);
        Assert.Equal(3, set.Rules[14].OptionsAs<SmsDuplicateOptions>()!.Copies);
    }

    [Fact]
    public void Parse_BadRule_ListsEveryBadFieldWithTheAllowedValues()
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse(
            """
            { "name": "bad", "node": "issuer-9", "method": "Pay", "probability": 1.5,
              "error": { "grpcStatus": "UNAVAILBLE" }, "start": "-5s", "colour": "red" }
            """,
            Context));

        var fields = ex.Errors.Select(e => e.Field).ToArray();
        Assert.Equal(["colour", "node", "method", "probability", "start", "error.grpcStatus"], fields);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains("issuer-1, issuer-2, issuer-3", ex.Message);
        Assert.Contains("StartBinding", ex.Message);
        Assert.Contains("UNAVAILABLE", ex.Message);
        Assert.Contains("outside 0–1", ex.Message);
        Assert.Contains("negative", ex.Message);
    }

    // A rule that could never fire is refused: a method the node does not serve, or an sms* rule off the delivery path.
    [Theory]
    [InlineData("issuer-1", "Send", "error", "method", "node \"issuer-1\" does not serve \"Send\"; allowed there: *, StartBinding, ConfirmBinding, ResendOtp, Authorize, Capture, Refund")]
    [InlineData("issuer-*", "ListMessages", "error", "method", "node \"issuer-*\" does not serve \"ListMessages\"; allowed there: *, StartBinding, ConfirmBinding, ResendOtp, Authorize, Capture, Refund")]
    [InlineData("sms", "Authorize", "error", "method", "node \"sms\" does not serve \"Authorize\"; allowed there: *, Send, ListMessages, WaitForMessage, StreamMessages")]
    [InlineData("sms", "Refund", "error", "method", "node \"sms\" does not serve \"Refund\"; allowed there: *, Send, ListMessages, WaitForMessage, StreamMessages")]
    [InlineData("issuer-1", "*", "smsDrop", "node", "a smsDrop rule acts on SMS delivery; allowed: *, sms")]
    [InlineData("issuer-*", "Authorize", "smsDrop", "node", "a smsDrop rule acts on SMS delivery; allowed: *, sms")]
    [InlineData("sms", "ListMessages", "smsDrop", "method", "a smsDrop rule acts on SMS delivery; allowed: *, Send")]
    [InlineData("*", "Authorize", "smsDrop", "method", "a smsDrop rule acts on SMS delivery; allowed: *, Send")]
    public void Parse_RuleThatCouldNeverFire_IsRefusedWithOneLineNamingWhatIsAllowed(string node, string method, string kind, string field, string message)
    {
        var action = kind == "error" ? "\"error\": { \"grpcStatus\": \"INTERNAL\" }" : $"\"{kind}\": {{}}";
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse(
            $$"""{ "name": "x", "node": "{{node}}", "method": "{{method}}", {{action}} }""", Context));

        Assert.Equal(field, Assert.Single(ex.Errors).Field);
        Assert.Contains(message, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData("3.0", 3)]
    [InlineData("3e0", 3)]
    [InlineData("1e2", 100)]
    public void Parse_AWholeNumberWithAZeroFraction_IsThatNumber_AsJsonSchemaCountsIt(string times, int expected)
    {
        var rule = Assert.Single(FaultRuleParser.Parse($$"""{ "name": "x", "times": {{times}}, "latency": "1ms" }""", Context).Rules);

        Assert.Equal(expected, rule.Times);
    }

    [Theory]
    [InlineData("2.5")]
    [InlineData("1e-1")]
    [InlineData("1e30")]
    public void Parse_AFractionOrANumberPastLong_IsStillRefusedAsNotAWholeNumber(string times)
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse($$"""{ "name": "x", "times": {{times}}, "latency": "1ms" }""", Context));

        Assert.Contains($"times: must be a whole number between 1 and {int.MaxValue}, got {times}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sms", "ListMessages", "\"latency\": \"1ms\"")]
    [InlineData("sms", "WaitForMessage", "\"latency\": \"1ms\"")]
    [InlineData("sms", "StreamMessages", "\"latency\": \"1ms\"")]
    [InlineData("sms", "Send", "\"latency\": \"1ms\"")]
    [InlineData("*", "ListMessages", "\"latency\": \"1ms\"")]
    [InlineData("*", "Authorize", "\"latency\": \"1ms\"")]
    [InlineData("issuer-*", "Capture", "\"latency\": \"1ms\"")]
    [InlineData("issuer-2", "*", "\"latency\": \"1ms\"")]
    [InlineData("sms", "*", "\"latency\": \"1ms\"")]
    [InlineData("*", "*", "\"smsDelay\": \"2s\"")]
    [InlineData("sms", "*", "\"smsDelay\": \"2s\"")]
    [InlineData("sms", "Send", "\"smsDrop\": {}")]
    [InlineData("*", "Send", "\"smsDrop\": {}")]
    public void Parse_RuleOnAMethodTheNamedNodesServe_IsAccepted_InboxMethodsAndSmsDeliveryIncluded(string node, string method, string action)
    {
        var rule = Assert.Single(FaultRuleParser.Parse(
            $$"""{ "name": "x", "node": "{{node}}", "method": "{{method}}", {{action}} }""", Context).Rules);

        Assert.Equal((node, method), (rule.Node, rule.Method));
    }

    [Theory]
    [InlineData("1s1m", "latency.fixed")]
    [InlineData("10ms10ms", "latency.fixed")]
    public void Parse_ADurationWithAUnitTwiceOrOutOfOrder_IsRefusedNamingTheFieldAndTheGrammar(string duration, string field)
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse($$"""{ "name": "x", "latency": { "fixed": "{{duration}}" } }""", Context));

        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{duration}\" is not a number with a unit ms, s, m or h, e.g. \"250ms\", \"30s\", \"1.5s\", \"2m\", \"1h\", or several units largest first, each once, e.g. \"1h30m\", \"1m30s\"", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "name": "x", "latency": " 9s" }""", "latency", " 9s")]
    [InlineData("""{ "name": "x", "latency": { "fixed": "9s " } }""", "latency.fixed", "9s ")]
    [InlineData("""{ "name": "x", "latency": "1ms", "start": " 1s" }""", "start", " 1s")]
    [InlineData("""{ "name": "x", "latency": "1ms", "duration": "10s " }""", "duration", "10s ")]
    [InlineData("""{ "name": "x", "node": "issuer-1", "flap": { "period": "10s", "downFor": "\t3s" } }""", "flap.downFor", "\t3s")]
    public void Parse_ADurationWithSpacesAround_IsRefusedNamingTheFieldAndTheGrammar(string json, string field, string duration)
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse(json, Context));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(field, error.Field);
        Assert.Equal($"\"{duration}\" is not {HumanDuration.Allowed}", error.Problem);
    }

    [Theory]
    [InlineData("""{ "name": "x", "latency": 50 }""", "latency", "must be a duration or a JSON object with one of fixed, uniform, lognormal, got 50; e.g. \"latency\": \"50ms\"")]
    [InlineData("""{ "name": "x", "latency": [ "50ms" ] }""", "latency", "must be a duration or a JSON object with one of fixed, uniform, lognormal, got an array; e.g. \"latency\": \"50ms\"")]
    [InlineData("""{ "name": "x", "error": "UNAVAILABLE" }""", "error", "must be a JSON object, got \"UNAVAILABLE\"; e.g. \"error\": {\"grpcStatus\":\"UNAVAILABLE\"}")]
    [InlineData("""{ "name": "x", "error": true }""", "error", "must be a JSON object, got true; e.g. \"error\": {\"grpcStatus\":\"UNAVAILABLE\"}")]
    [InlineData("""{ "name": "x", "hang": 100 }""", "hang", "must be a JSON object, got 100; e.g. \"hang\": {\"max\":\"100ms\"}")]
    [InlineData("""{ "name": "x", "outage": 1 }""", "outage", "must be a JSON object, got 1; e.g. \"outage\": {}")]
    public void Parse_KindOptionsOfTheWrongSort_ShowTheKindsForm(string json, string field, string problem)
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse(json, FaultRuleContext.ForIssuers(3)));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(field, error.Field);
        Assert.Equal(problem, error.Problem);
    }

    [Fact]
    public void Parse_KindOptionsOfTheWrongSort_ShowTheKindsForm_ForEveryKind()
    {
        foreach (var kind in FaultKindCatalog.All)
        {
            var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse($$"""{ "name": "x", "{{kind.Name}}": 50 }""", FaultRuleContext.ForIssuers(3)));

            Assert.Contains(ex.Errors, e => e.Field == kind.Name && e.Problem.EndsWith($"; e.g. \"{kind.Name}\": {kind.Example}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Parse_ABadDurationOfTheExamplesSort_IsNotGivenTheExample()
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse("""{ "name": "x", "latency": "soon" }""", Context));

        Assert.Equal($"\"soon\" is not {HumanDuration.Allowed}", Assert.Single(ex.Errors).Problem);
    }

    [Fact]
    public void Parse_UnknownMethod_ListsEveryServedMethodOnce()
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse("""{ "name": "x", "method": "Pay", "latency": "1ms" }""", Context));

        Assert.Contains(
            "unknown method \"Pay\"; allowed: *, StartBinding, ConfirmBinding, ResendOtp, Authorize, Capture, Refund, Void, AuthenticatePayment, Send, ListMessages, WaitForMessage, StreamMessages",
            ex.Message);
    }

    [Fact]
    public void Parse_UnknownKind_NamesTheFieldAndTheKinds()
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse("""{ "name": "x", "explode": {} }""", Context));

        Assert.Equal(["explode", "rule"], ex.Errors.Select(e => e.Field));
        Assert.Contains("latency, error, decline, hang, reset, outage", ex.Message);
    }

    [Fact]
    public void Parse_ArrayWithOneBadRule_RefusesTheWholeArray()
    {
        var ok = FaultRuleParser.TryParse(
            """[ { "name": "a", "latency": "10ms" }, { "name": "b", "decline": { "code": "00" } } ]""",
            Context,
            out var rules,
            out var errors);

        Assert.False(ok);
        Assert.Empty(rules.Rules);
        Assert.Equal("[1].decline.code", Assert.Single(errors).Field);
    }

    [Fact]
    public void Parse_RuleWithTwoActions_AsksToSplitIt()
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse(
            """{ "name": "x", "latency": "10ms", "error": { "grpcStatus": "INTERNAL" } }""", Context));

        Assert.Contains("split it into 2 rules", ex.Message);
    }

    [Fact]
    public void Parse_ProbabilityOnAnOutage_IsRefusedBecauseOutagesAreStates()
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse(
            """{ "name": "x", "node": "issuer-1", "method": "Authorize", "probability": 0.5, "outage": {} }""", Context));

        Assert.Equal(["probability", "method"], ex.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Parse_RuleWithoutName_GetsAStableGeneratedName()
    {
        var set = FaultRuleParser.Parse(
            """[ { "node": "issuer-1", "latency": "5ms" }, { "node": "issuer-1", "latency": "6ms" } ]""", Context);

        Assert.Equal(["latency:issuer-1:*", "latency:issuer-1:*#2"], set.Rules.Select(r => r.Name));
        Assert.StartsWith("""{"name":"latency:issuer-1:*",""", set.Rules[0].Json);
    }

    // A field repeated in one object is found after the parse, so the parser gives no place: the error points at the
    // second occurrence (it said "line 1, position 1" whatever the document).
    [Fact]
    public void Parse_ADuplicateField_IsReportedWhereItsSecondOccurrenceIs()
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse(
            "{ \"name\": \"a\",\n  \"latency\": \"1ms\",\n    \"latency\": \"2ms\" }", Context));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("json", error.Field);
        Assert.StartsWith("not valid JSON at line 3, position 5: ", error.Problem, StringComparison.Ordinal);
        Assert.Contains("latency", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ADuplicateFieldInANestedObject_IsReportedWhereItIs()
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse(
            "[ { \"name\": \"a\", \"latency\": \"1ms\" },\n  { \"name\": \"b\", \"error\": { \"grpcStatus\": \"UNAVAILABLE\", \"grpcStatus\": \"INTERNAL\" } } ]", Context));

        Assert.StartsWith("not valid JSON at line 2, position 58: ", Assert.Single(ex.Errors).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateExplicitNames_AreRefused()
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse(
            """[ { "name": "a", "latency": "5ms" }, { "name": "a", "latency": "6ms" } ]""", Context));

        Assert.Equal("[1].name", Assert.Single(ex.Errors).Field);
    }

    [Fact]
    public void Parse_ProfileDocument_ReadsMaxActiveFaultsAndRules()
    {
        var set = FaultRuleParser.Parse(
            """{ "description": "d", "maxActiveFaults": 3, "rules": [ { "name": "a", "hang": {} } ] }""", Context);

        Assert.Equal(3, set.MaxActiveFaults);
        Assert.Equal("a", Assert.Single(set.Rules).Name);
    }

    [Fact]
    public void Parse_NodePrefixPattern_MustCoverAKnownNode()
    {
        Assert.Single(FaultRuleParser.Parse("""{ "name": "a", "node": "issuer-*", "hang": {} }""", Context).Rules);
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse("""{ "name": "a", "node": "bank-*", "hang": {} }""", Context));
        Assert.Equal("node", Assert.Single(ex.Errors).Field);
    }

    [Fact]
    public void Parse_LogNormalWithP99BelowMedian_NamesP99()
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse(
            """{ "name": "a", "latency": { "lognormal": { "median": "1s", "p99": "500ms" } } }""", Context));

        Assert.Equal("latency.lognormal.p99", Assert.Single(ex.Errors).Field);
    }

    [Fact]
    public void Parse_InvalidJson_SaysWhere()
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse("""{ "name": "a", """, Context));

        Assert.Equal("json", Assert.Single(ex.Errors).Field);
        Assert.Contains("line 1", ex.Message);
    }

    [Fact]
    public void Parse_DeclineWithUnknownReason_ListsTheReasons()
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse(
            """{ "name": "a", "decline": { "code": "05", "reasons": ["NAME_MISMATCH", "TYPO"] } }""", Context));

        Assert.Equal("decline.reasons[1]", Assert.Single(ex.Errors).Field);
        Assert.Contains("PHONE_MISMATCH", ex.Message);
    }

    [Fact]
    public void Parse_StatusByNumberOrPascalCase_IsAccepted()
    {
        var set = FaultRuleParser.Parse(
            """[ { "name": "a", "error": { "grpcStatus": 14 } }, { "name": "b", "error": { "grpcStatus": "ResourceExhausted" } } ]""", Context);

        Assert.Equal([StatusCode.Unavailable, StatusCode.ResourceExhausted], set.Rules.Select(r => r.OptionsAs<ErrorOptions>()!.Status));
    }
}

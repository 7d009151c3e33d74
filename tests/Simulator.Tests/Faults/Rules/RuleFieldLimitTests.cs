using PaySim.Simulator.Faults;
using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Tests.Faults.Rules;

/// <summary>
/// Fields a rule was accepted with though they broke a reply or could never fire: a status message of 100 KB (the
/// gRPC reply carried no status at all) or on two lines, a match no call meets (panPrefix "abc", an empty pan, phone
/// or header name). Each is refused naming the field; the kinds without options say they take none.
/// </summary>
public sealed class RuleFieldLimitTests
{
    private static readonly FaultRuleContext Context = FaultRuleContext.ForIssuers(2);

    public static TheoryData<string, string> Refused => new()
    {
        { $$"""{ "name": "m", "error": { "grpcStatus": "UNAVAILABLE", "message": "{{new string('m', 301)}}" } }""", "error.message: is 301 characters; at most 300 are allowed" },
        { $$"""{ "name": "m", "error": { "grpcStatus": "UNAVAILABLE", "message": "{{new string('m', 100_000)}}" } }""", "error.message: is 100000 characters; at most 300 are allowed" },
        { """{ "name": "m", "error": { "grpcStatus": "UNAVAILABLE", "message": "line1\r\nline2" } }""", "error.message: must be one line, without line breaks or other control characters" },
        { $$"""{ "name": "m", "decline": { "code": "05", "message": "{{new string('m', 301)}}" } }""", "decline.message: is 301 characters; at most 300 are allowed" },
        { """{ "name": "m", "decline": { "code": "05", "message": "a\nb" } }""", "decline.message: must be one line, without line breaks or other control characters" },
        { """{ "name": "p", "match": { "panPrefix": "abc" }, "latency": "1ms" }""", "match.panPrefix: \"abc\" must be 1 or more digits 0-9, e.g. \"62\"" },
        { """{ "name": "p", "match": { "panPrefix": "" }, "latency": "1ms" }""", "match.panPrefix: \"\" must be 1 or more digits 0-9, e.g. \"62\"" },
        { """{ "name": "p", "match": { "pan": "" }, "latency": "1ms" }""", "match.pan: must not be empty; give the card number, or leave pan out" },
        { """{ "name": "p", "match": { "phone": "" }, "latency": "1ms" }""", "match.phone: must not be empty; give the reserved phone, or leave phone out" },
        { """{ "name": "p", "match": { "metadata": { "": "qa" } }, "latency": "1ms" }""", "match.metadata: a header name must not be empty, e.g. {\"x-tenant\": \"qa\"}" },
        { """{ "name": "o", "node": "issuer-1", "outage": { "x": 1 } }""", "outage.x: unknown field; outage takes no fields, give {} (or true)" },
        { """{ "name": "o", "node": "issuer-1", "notServing": { "x": 1, "y": 2 } }""", "notServing.x: unknown field; notServing takes no fields, give {} (or true)" },
        { """{ "rules": [], "maxActiveFaults": 1000001 }""", "maxActiveFaults: " },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_field_that_breaks_a_reply_or_can_never_match_is_refused_naming_it(string json, string expected)
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse(json, Context));

        Assert.Contains(expected, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void The_bounds_themselves_are_accepted()
    {
        var rules = FaultRuleParser.Parse($$"""
            [
              { "name": "m", "error": { "grpcStatus": "UNAVAILABLE", "message": "{{new string('m', 300)}}" } },
              { "name": "d", "decline": { "code": "05", "message": "one line, with unicode: 拒付" } },
              { "name": "p", "match": { "panPrefix": "62", "pan": "6200000000000000", "phone": "+12025550100", "metadata": { "x-tenant": "qa" } }, "latency": "1ms" },
              { "name": "o", "node": "issuer-1", "outage": {} },
              { "name": "t", "node": "issuer-2", "outage": true }
            ]
            """, Context);

        Assert.Equal(5, rules.Rules.Count);
        Assert.Equal(FaultDefaults.MaxActiveFaults, FaultRuleParser.Parse("""{ "rules": [], "maxActiveFaults": 1000000 }""", Context).MaxActiveFaults);
    }

    [Fact]
    public void A_null_name_is_no_name_and_the_rule_lists_its_generated_one()
    {
        var rule = Assert.Single(FaultRuleParser.Parse("""{ "name": null, "latency": "1ms" }""", Context).Rules);

        Assert.Equal("latency:*:*", rule.Name);
        Assert.StartsWith("""{"name":"latency:*:*",""", rule.Json);
        Assert.DoesNotContain("null", rule.Json);
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Cli;
using PaySim.Simulator.Faults;
using PaySim.Simulator.Faults.Rules;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Faults.Rules;

/// <summary>
/// Every duration field of a rule has a bound (docs/faults.md, "Durations"): 24 h for schedules,
/// 10 min for delays. Beyond it a rule is refused with one line naming the field, instead of
/// overflowing the clock arithmetic (a start of 10000000h used to fire at once, a duration of
/// 10000000h to end at once, a latency of 2000h to fail every call with UNKNOWN).
/// </summary>
public sealed class DurationBoundsTests
{
    private static readonly FaultRuleContext Context = FaultRuleContext.ForIssuers(3);

    public static TheoryData<string, string, string> TooLong => new()
    {
        { """{ "name": "x", "start": "10000000h", "latency": "1ms" }""", "start", "24h" },
        { """{ "name": "x", "duration": "10000000h", "latency": "1ms" }""", "duration", "24h" },
        { """{ "name": "x", "start": "24h1ms", "latency": "1ms" }""", "start", "24h" },
        { """{ "name": "x", "ramp": { "over": "25h" }, "error": { "grpcStatus": "INTERNAL" } }""", "ramp.over", "24h" },
        { """{ "name": "x", "node": "issuer-1", "flap": { "period": "25h", "downFor": "1s" } }""", "flap.period", "24h" },
        { """{ "name": "x", "latency": "2000h" }""", "latency", "10m" },
        { """{ "name": "x", "latency": { "fixed": "10m1ms" } }""", "latency.fixed", "10m" },
        { """{ "name": "x", "latency": { "uniform": { "min": "0s", "max": "11m" } } }""", "latency.uniform.max", "10m" },
        { """{ "name": "x", "latency": { "lognormal": { "median": "1s", "p99": "2000h" } } }""", "latency.lognormal.p99", "10m" },
        { """{ "name": "x", "hang": { "max": "2000h" } }""", "hang.max", "10m" },
        { """{ "name": "x", "node": "sms", "smsDelay": "2000h" }""", "smsDelay", "10m" },
        { """{ "name": "x", "node": "sms", "smsAfterExpiry": { "extra": "2000h" } }""", "smsAfterExpiry.extra", "10m" },
        { """{ "name": "x", "node": "sms", "smsReorder": { "window": "2000h" } }""", "smsReorder.window", "10m" },
    };

    [Theory]
    [MemberData(nameof(TooLong))]
    public void Parse_DurationBeyondItsBound_IsRefusedNamingTheFieldAndTheLimit(string json, string field, string limit)
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse(json, Context));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(field, error.Field);
        Assert.EndsWith($"is more than the limit of {limit}", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "name": "x", "start": "24h", "duration": "24h", "latency": "10m" }""")]
    [InlineData("""{ "name": "x", "hang": { "max": "10m" } }""")]
    [InlineData("""{ "name": "x", "start": "1m30s", "duration": "1.5s", "latency": "0" }""")]
    public void Parse_DurationsUpToTheirBounds_InTheSharedGrammar_AreAccepted(string json) =>
        Assert.Single(FaultRuleParser.Parse(json, Context).Rules);

    [Theory]
    [InlineData("start", "10000000h")]
    [InlineData("duration", "10000000h")]
    [InlineData("latency", "2000h")]
    [InlineData("hang.max", "2000h")]
    [InlineData("smsDelay", "2000h")]
    [InlineData("smsAfterExpiry.extra", "2000h")]
    public async Task ControlPlane_RuleWithAnOverlongDuration_Is400NamingTheField_AndNothingIsApplied(string field, string value)
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));

        using var response = await sim.Http.PostAsync("/v1/faults", new StringContent(Rule(field, value), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain('\n', body);
        using var error = JsonDocument.Parse(body);
        Assert.Contains($"{field}: \"{value}\" is more than the limit of", error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, sim.Host.FaultRuleCount);

        // Nothing fires: the call is answered by the issuer (unknown token), not failed by a fault.
        var reply = await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = "tok_unknown", AmountMinor = 1 }, deadline: DateTime.UtcNow.AddSeconds(10));
        Assert.Equal("14", reply.ResponseCode);
    }

    [Fact]
    public async Task ControlPlane_AcceptsTheCombinedDurationsPlansAlwaysAccepted()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));

        using var response = await sim.Http.PostAsync("/v1/faults", new StringContent("""{ "name": "later", "start": "1m30s", "latency": "1ms" }""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, sim.Host.FaultRuleCount);
    }

    [Fact]
    public async Task Cli_ProfileWithAnOverlongDuration_ExitsTwoWithOneLineNamingTheField()
    {
        var profile = Path.Combine(Directory.CreateTempSubdirectory("paysim-profile-").FullName, "too-slow.json");
        await File.WriteAllTextAsync(profile, """{ "rules": [ { "name": "slow", "latency": "2000h" } ] }""");
        var stderr = new StringWriter();

        var code = await CliApp.RunAsync(
            ["serve", "--issuer-port", "0", "--sms-port", "0", "--control-port", "0", "--cardholders", "10", "--profile", profile],
            new StringWriter(),
            stderr);

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("rules[0].latency: \"2000h\" is more than the limit of 10m", line, StringComparison.Ordinal);
        Directory.Delete(Path.GetDirectoryName(profile)!, recursive: true);
    }

    private static string Rule(string field, string value) => field switch
    {
        "start" or "duration" => $$"""{ "name": "x", "{{field}}": "{{value}}", "latency": "1ms" }""",
        "latency" => $$"""{ "name": "x", "latency": "{{value}}" }""",
        "hang.max" => $$"""{ "name": "x", "hang": { "max": "{{value}}" } }""",
        "smsDelay" => $$"""{ "name": "x", "node": "sms", "smsDelay": "{{value}}" }""",
        _ => $$"""{ "name": "x", "node": "sms", "smsAfterExpiry": { "extra": "{{value}}" } }""",
    };
}

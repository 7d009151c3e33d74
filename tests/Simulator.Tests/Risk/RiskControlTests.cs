using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Time.Testing;
using PaySim.Contracts.Control.V1;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Cli;
using PaySim.Simulator.Tests.Support;
using ControlClient = PaySim.Contracts.Control.V1.Control.ControlClient;

namespace PaySim.Simulator.Tests.Risk;

/// <summary>The issuer's risk rules on a real simulator on port 0: codes, reasons, money, counters, and bad rules.</summary>
public sealed class RiskControlTests
{
    private const string DefaultJson =
        "{\"velocity\":null,\"amount\":null,\"dailyLimit\":true,\"repeat\":null,\"riskFlagged\":{\"aboveMinor\":1000,\"action\":\"decline\"},\"notPermittedMerchants\":[],\"stepUp\":null}";

    [Fact]
    public async Task Defaults_AreServedOverHttpAndGrpc_AndDeclineNothingForAHealthyCard()
    {
        await using var sim = await TestSimulator.StartAsync();
        Assert.Equal(DefaultJson, await sim.Http.GetStringAsync("/v1/risk"));
        using var channel = GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        var control = new ControlClient(channel);
        Assert.Equal(DefaultJson, (await control.GetRiskAsync(new GetRiskRequest())).RiskJson);

        var card = sim.Host.ListCardholders(1, "healthy")[0];
        var token = await sim.BindAsync(card);
        for (var i = 0; i < 5; i++)
        {
            var auth = await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = token, AmountMinor = 100, MerchantId = "shop-1" });
            Assert.Equal("00", auth.ResponseCode);
            Assert.Equal("", auth.RiskRule);
        }

        Assert.Empty(sim.Host.GetStats().Nodes.SelectMany(n => n.Methods).SelectMany(m => m.Risk));
    }

    [Fact]
    public async Task Velocity_DeclinesThePaymentOverTheCount_65_UntilTheWindowMovesOn_AndCountsIt()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = TestSimulator.EphemeralOptions(nodes: 2, cardholders: 50);
        options.TimeProvider = time;
        await using var sim = await TestSimulator.StartAsync(options);
        await Put(sim, """{"velocity": {"count": 2, "window": "1m"}}""");
        var card = sim.Host.ListCardholders(1, "healthy")[0];
        var token = await sim.BindAsync(card);

        Assert.Equal("00", (await Pay(sim, 0, token, 100)).ResponseCode);
        Assert.Equal("00", (await Pay(sim, 1, token, 100)).ResponseCode);
        var third = await Pay(sim, 0, token, 100);
        Assert.Equal("65", third.ResponseCode);
        Assert.Equal(DeclineReason.FrequencyExceeded, third.DeclineReason);
        Assert.Equal("velocity", third.RiskRule);
        Assert.Equal("more than 2 payments on this card within 1m", third.Message);
        Assert.Equal(card.BalanceMinor - 200, third.AvailableBalanceMinor);
        Assert.Equal(200, sim.Host.GetInvariants().HeldMinor);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("00", (await Pay(sim, 0, token, 100)).ResponseCode);

        var authorize = sim.Host.GetStats().Nodes.Single(n => n.Name == "issuer-1").Methods.Single(m => m.Method == "Authorize");
        Assert.Equal(1, authorize.Risk["velocity"]);
        Assert.Equal(1, authorize.Declines);
        var metrics = await sim.Http.GetStringAsync("/metrics");
        Assert.Contains("paysim_risk_total{node=\"issuer-1\",method=\"Authorize\",rule=\"velocity\"} 1", metrics);
    }

    [Fact]
    public async Task AmountWindow_DeclinesWhatWouldPassTheSum_61_AmountLimitExceeded()
    {
        await using var sim = await TestSimulator.StartAsync();
        await Put(sim, """{"amount": {"maxMinor": 1000, "window": "1h"}}""");
        var token = await sim.BindAsync(sim.Host.ListCardholders(1, "healthy")[0]);
        Assert.Equal("00", (await Pay(sim, 0, token, 600)).ResponseCode);
        var over = await Pay(sim, 0, token, 401);
        Assert.Equal(("61", DeclineReason.AmountLimitExceeded, "amount"), (over.ResponseCode, over.DeclineReason, over.RiskRule));
        Assert.Equal("00", (await Pay(sim, 0, token, 400)).ResponseCode);
        Assert.Equal(1000, sim.Host.GetInvariants().HeldMinor);
    }

    [Fact]
    public async Task Repeat_DeclinesTheSameMerchantAndAmountWithinTheWindow_59_ButNotAnotherAmount()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = TestSimulator.EphemeralOptions(cardholders: 50);
        options.TimeProvider = time;
        await using var sim = await TestSimulator.StartAsync(options);
        await Put(sim, """{"repeat": {"window": "10s"}}""");
        var token = await sim.BindAsync(sim.Host.ListCardholders(1, "healthy")[0]);
        Assert.Equal("00", (await Pay(sim, 0, token, 500)).ResponseCode);
        var again = await Pay(sim, 1, token, 500);
        Assert.Equal(("59", DeclineReason.RepeatedAttempt, "repeat"), (again.ResponseCode, again.DeclineReason, again.RiskRule));
        Assert.Equal("00", (await Pay(sim, 1, token, 501)).ResponseCode);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("00", (await Pay(sim, 0, token, 500)).ResponseCode);
        Assert.Equal(1, sim.Host.GetStats().Nodes.Single(n => n.Name == "issuer-2").Methods.Single(m => m.Method == "Authorize").Risk["repeat"]);
    }

    [Fact]
    public async Task DailyLimit_Declines61OverLimit_CountedAsDailyLimit_AndOffItApproves()
    {
        await using var sim = await TestSimulator.StartAsync();
        var card = sim.Host.MagicCard("61");
        var token = await sim.BindAsync(card);
        var over = await Pay(sim, 0, token, 100);
        Assert.Equal(("61", DeclineReason.OverLimit), (over.ResponseCode, over.DeclineReason));
        Assert.Equal(1, sim.Host.GetStats().Nodes.Single(n => n.Name == "issuer-1").Methods.Single(m => m.Method == "Authorize").Risk["dailyLimit"]);

        await Put(sim, """{"dailyLimit": false}""");
        Assert.Equal("00", (await Pay(sim, 0, token, 100)).ResponseCode);
        Assert.Equal(100, sim.Host.GetInvariants().HeldMinor);
    }

    [Fact]
    public async Task DailyLimitNull_TurnsTheRuleOff_LikeEveryRule_AndLeftOutKeepsItOn()
    {
        await using var sim = await TestSimulator.StartAsync();
        var token = await sim.BindAsync(sim.Host.MagicCard("61"));

        await Put(sim, """{"dailyLimit": null}""");
        Assert.Contains("\"dailyLimit\":false", await sim.Http.GetStringAsync("/v1/risk"));
        Assert.Equal("00", (await Pay(sim, 0, token, 100)).ResponseCode);

        await Put(sim, "{}");
        Assert.Contains("\"dailyLimit\":true", await sim.Http.GetStringAsync("/v1/risk"));
        Assert.Equal("61", (await Pay(sim, 0, token, 100)).ResponseCode);
    }

    [Fact]
    public async Task NotPermittedMerchant_Declines57()
    {
        await using var sim = await TestSimulator.StartAsync();
        await Put(sim, """{"notPermittedMerchants": ["casino-1"]}""");
        var token = await sim.BindAsync(sim.Host.ListCardholders(1, "healthy")[0]);
        var auth = await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = token, AmountMinor = 100, MerchantId = "casino-1" });
        Assert.Equal(("57", DeclineReason.NotPermitted, "notPermitted"), (auth.ResponseCode, auth.DeclineReason, auth.RiskRule));
        Assert.Equal("00", (await Pay(sim, 0, token, 100)).ResponseCode);
        Assert.Equal(100, sim.Host.GetInvariants().HeldMinor);
    }

    [Fact]
    public async Task RiskFlaggedPersona_IsDeclined59AboveTheSmallAmount_AndApprovedAtIt()
    {
        var options = TestSimulator.EphemeralOptions(cardholders: 40);
        options.PersonaWeights = new(StringComparer.OrdinalIgnoreCase) { ["healthy"] = 0.5, ["risk-flagged"] = 0.25, ["frequent-payer"] = 0.25 };
        await using var sim = await TestSimulator.StartAsync(options);
        var flagged = sim.Host.ListCardholders(1, "risk-flagged")[0];
        Assert.Equal(("59", "SUSPECTED_FRAUD"), (flagged.ExpectedResponseCode, flagged.ExpectedDeclineReason));
        var token = await sim.BindAsync(flagged);
        Assert.Equal("00", (await Pay(sim, 0, token, 1000)).ResponseCode);
        var above = await Pay(sim, 0, token, 1001);
        Assert.Equal(("59", DeclineReason.SuspectedFraud, "riskFlagged"), (above.ResponseCode, above.DeclineReason, above.RiskRule));

        var frequent = sim.Host.ListCardholders(1, "frequent-payer")[0];
        Assert.Equal("00", frequent.ExpectedResponseCode);
        Assert.True(frequent.BalanceMinor >= 10_000_000, "a frequent payer has a large balance");
    }

    [Fact]
    public async Task DefaultWeights_GenerateNoRiskPersona_SoTheDefaultRegistryIsUnchanged()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(cardholders: 1000));
        Assert.Empty(sim.Host.ListCardholders(10, "risk-flagged"));
        Assert.Empty(sim.Host.ListCardholders(10, "frequent-payer"));
    }

    [Theory]
    [InlineData("""{"velocity": {"count": 0, "window": "1m"}}""", "velocity.count: 0 is outside 1–1000000")]
    [InlineData("""{"velocity": {"count": 3}}""", "velocity.window: is required")]
    [InlineData("""{"amount": {"maxMinor": 10, "window": "25h"}}""", "amount.window: \"25h\" is more than the limit of 24h")]
    [InlineData("""{"repeat": {"window": "10s", "action": "block"}}""", "repeat.action: \"block\" is not allowed; allowed: decline, challenge")]
    [InlineData("""{"stepUp": {"aboveMinor": -1}}""", "stepUp.aboveMinor: -1 is outside 0–")]
    [InlineData("""{"velocty": {}}""", "velocty: unknown field; allowed: velocity, amount, dailyLimit")]
    [InlineData("""{"notPermittedMerchants": [""]}""", "notPermittedMerchants[0]: must be a merchant id of 1 to 128 characters")]
    [InlineData("""[1]""", "risk: must be a JSON object")]
    [InlineData("""{"notPermittedMerchants": ["\ud800"]}""", "notPermittedMerchants[0]: not valid text (unpaired UTF-16 surrogate)")]
    [InlineData("""{"repeat": {"window": "0.0001ms"}}""", "repeat.window: \"0.0001ms\" must be more than 0")]
    public async Task BadRule_Is400AndInvalidArgument_NamingTheField_AndTheRulesInForceStay(string body, string expected)
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));
        await Put(sim, """{"velocity": {"count": 5, "window": "1m"}}""");
        var before = await sim.Http.GetStringAsync("/v1/risk");

        using var response = await sim.Http.PutAsync("/v1/risk", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;
        Assert.StartsWith("invalid risk rules", error);
        Assert.Contains(expected, error);
        Assert.DoesNotContain('\n', error);

        using var channel = GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        var e = await Assert.ThrowsAsync<RpcException>(async () => await new ControlClient(channel).SetRiskAsync(new SetRiskRequest { RiskJson = body }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains(expected, e.Status.Detail);
        Assert.Equal(before, await sim.Http.GetStringAsync("/v1/risk"));
    }

    [Fact]
    public async Task SetRiskOverGrpc_IsWhatGetRiskOverHttpAnswers()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));
        using var channel = GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        var reply = await new ControlClient(channel).SetRiskAsync(new SetRiskRequest { RiskJson = """{"velocity": {"count": 3, "window": "30s", "action": "challenge"}, "dailyLimit": false}""" });
        var expected = "{\"velocity\":{\"count\":3,\"window\":\"30s\",\"action\":\"challenge\"},\"amount\":null,\"dailyLimit\":false,\"repeat\":null,\"riskFlagged\":{\"aboveMinor\":1000,\"action\":\"decline\"},\"notPermittedMerchants\":[],\"stepUp\":null}";
        Assert.Equal(expected, reply.RiskJson);
        Assert.Equal(expected, await sim.Http.GetStringAsync("/v1/risk"));
    }

    [Fact]
    public async Task RiskFlag_AtBoot_AppliesTheFile_AndABadFileIsExit2WithOneLineNamingTheField()
    {
        var bad = Path.GetTempFileName();
        await File.WriteAllTextAsync(bad, """{"velocity": {"count": "many", "window": "1m"}}""");
        var error = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var code = await CliApp.RunAsync(["serve", "--issuer-port", "0", "--sms-port", "0", "--control-port", "0", "--cardholders", "10", "--risk", bad], new StringWriter(), error, new MemoryStream(), cts.Token);
        Assert.Equal(2, code);
        var line = error.ToString().Trim();
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("error: --risk '", line);
        Assert.Contains("velocity.count: must be a whole number", line);

        var good = Path.GetTempFileName();
        await File.WriteAllTextAsync(good, """{"stepUp": {"aboveMinor": 50000}}""");
        var options = TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10);
        options.RiskFile = good;
        await using var sim = await TestSimulator.StartAsync(options);
        Assert.Contains("\"stepUp\":{\"aboveMinor\":50000}", await sim.Http.GetStringAsync("/v1/risk"));
        File.Delete(bad);
        File.Delete(good);
    }

    [Fact]
    public async Task RiskFlag_GivenADirectory_SaysItIsADirectory()
    {
        var dir = Directory.CreateTempSubdirectory("paysim-risk-").FullName;
        var error = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var code = await CliApp.RunAsync(["serve", "--issuer-port", "0", "--sms-port", "0", "--control-port", "0", "--cardholders", "10", "--risk", dir], new StringWriter(), error, new MemoryStream(), cts.Token);

        Directory.Delete(dir);
        Assert.Equal(2, code);
        Assert.Equal($"error: --risk: \"{dir}\" is a directory, not a file; give a risk rules .json file", error.ToString().Trim());
    }

    private static async Task Put(TestSimulator sim, string json)
    {
        using var response = await sim.Http.PutAsync("/v1/risk", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<AuthorizeReply> Pay(TestSimulator sim, int node, string token, long amount) =>
        await sim.Issuers[node].AuthorizeAsync(new AuthorizeRequest { CardToken = token, AmountMinor = amount, MerchantId = "shop-1" });
}

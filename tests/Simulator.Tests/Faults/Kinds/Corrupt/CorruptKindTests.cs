using System.Net;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Faults;
using PaySim.Simulator.Faults.Kinds.Corrupt;
using PaySim.Simulator.Faults.Rules;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Faults.Kinds.Corrupt;

/// <summary>
/// "corrupt": the reply leaves the server with damaged bytes. A real grpc-dotnet client must fail
/// to read it (INTERNAL), the server must count the fault, and the handler's effects must stay.
/// </summary>
public sealed class CorruptKindTests
{
    private static readonly AuthorizeRequest UnknownToken = new() { CardToken = "tok_unknown", AmountMinor = 1 };

    [Theory]
    [InlineData("{}", "garble")]
    [InlineData("""{ "mode": "garble" }""", "garble")]
    [InlineData("""{ "mode": "truncate" }""", "truncate")]
    public async Task CorruptReply_TheClientCannotReadIt_AndTheFaultIsCounted(string options, string mode)
    {
        var simOptions = TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10);
        simOptions.FaultJournal = 10;
        await using var sim = await TestSimulator.StartAsync(simOptions);
        await PostFaultsAsync(sim, $$"""{ "name": "bad-wire", "node": "issuer-1", "method": "Authorize", "corrupt": {{options}} }""");

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await sim.Issuers[0].AuthorizeAsync(UnknownToken, deadline: DateTime.UtcNow.AddSeconds(10)));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("deserialize", ex.Status.Detail, StringComparison.OrdinalIgnoreCase);
        var stats = sim.Host.GetStats();
        var authorize = stats.Nodes.Single(n => n.Name == "issuer-1").Methods.Single(m => m.Method == "Authorize");
        Assert.Equal(1, authorize.Faults["corrupt"]);
        Assert.Equal(1, stats.Rules["bad-wire"]);
        Assert.Equal(1, authorize.Calls);
        Assert.Equal(0, authorize.Errors); // the server sent an OK reply; only its bytes were wrong

        using var journal = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/journal"));
        var call = Assert.Single(journal.RootElement.GetProperty("calls").EnumerateArray());
        Assert.Equal("bad-wire", call.GetProperty("rule").GetString());
        Assert.Equal($"corrupt {mode}", call.GetProperty("outcome").GetString());

        // Only the rule's calls: another method on the same channel reads its reply fine.
        var capture = await sim.Issuers[0].CaptureAsync(new CaptureRequest { AuthorizationId = "auth_unknown", AmountMinor = 1 });
        Assert.NotEqual("00", capture.ResponseCode);
    }

    [Fact]
    public async Task CorruptReply_TheHandlerRan_SoTheMoneyMoved()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 2, cardholders: 20));
        var card = sim.Host.ListCardholders(1, "healthy").Single();
        var token = await sim.BindAsync(card);
        await PostFaultsAsync(sim, """{ "name": "bad-wire", "method": "Authorize", "times": 1, "corrupt": {} }""");
        var request = new AuthorizeRequest { CardToken = token, AmountMinor = 2_500, Currency = card.Currency, MerchantId = "m-1", OrderReference = "o-1", IdempotencyKey = "pay-1" };

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await sim.Issuers[0].AuthorizeAsync(request));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Equal(2_500, sim.Host.GetInvariants().HeldMinor);
        var retry = await sim.Issuers[1].AuthorizeAsync(request);
        Assert.Equal("00", retry.ResponseCode);
        Assert.Equal(2_500, sim.Host.GetInvariants().HeldMinor);
    }

    [Fact]
    public async Task CorruptReply_OnTheSmsGateway_FailsTheSendersRead()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));
        await PostFaultsAsync(sim, """{ "name": "bad-sms-wire", "node": "sms", "method": "Send", "corrupt": {} }""");

        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await sim.Gateway.SendAsync(new SendRequest { Phone = "13800000000", Text = "code 123456" }, deadline: DateTime.UtcNow.AddSeconds(10)));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Equal(1, sim.Host.GetStats().Nodes.Single(n => n.Name == "sms").Methods.Single(m => m.Method == "Send").Faults["corrupt"]);
    }

    [Fact]
    public async Task CorruptStream_ADamagedMessageComesFirst_SoTheReaderFails()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));
        await PostFaultsAsync(sim, """{ "name": "bad-stream", "node": "sms", "method": "StreamMessages", "corrupt": {} }""");
        using var stream = sim.Inbox.StreamMessages(new StreamMessagesRequest { Phone = "13800000001" }, deadline: DateTime.UtcNow.AddSeconds(20));
        var read = stream.ResponseStream.MoveNext();

        // The stream sends only messages that arrive after it started: send until one was streamed (bounded).
        for (var i = 0; i < 100 && !read.IsCompleted; i++)
        {
            await sim.Gateway.SendAsync(new SendRequest { Phone = "13800000001", Text = $"code {100000 + i}" });
            await Task.WhenAny(read, Task.Delay(100));
        }

        // grpc-dotnet reports a message it cannot parse mid-stream as UNAVAILABLE ("Error reading next message").
        var ex = await Assert.ThrowsAsync<RpcException>(() => read);
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Contains("InvalidProtocolBufferException", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1, sim.Host.GetStats().Nodes.Single(n => n.Name == "sms").Methods.Single(m => m.Method == "StreamMessages").Faults["corrupt"]);
    }

    [Theory]
    [InlineData("""{ "name": "x", "corrupt": { "mode": "shred" } }""", "corrupt.mode: \"shred\" is not allowed; allowed: garble, truncate")]
    [InlineData("""{ "name": "x", "corrupt": { "bytes": 3 } }""", "corrupt.bytes: unknown field; allowed: mode")]
    [InlineData("""{ "name": "x", "corrupt": "yes" }""", "corrupt: must be a JSON object")]
    public void BadOptions_AreRefusedNamingTheField(string json, string expected)
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse(json, FaultRuleContext.ForIssuers(1)));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_TrueOrEmpty_MeanGarble()
    {
        var rules = FaultRuleParser.Parse("""[ { "name": "a", "corrupt": true }, { "name": "b", "corrupt": {} } ]""", FaultRuleContext.ForIssuers(1)).Rules;

        Assert.All(rules, r => Assert.Equal(CorruptMode.Garble, r.OptionsAs<CorruptOptions>()!.Mode));
    }

    private static async Task PostFaultsAsync(TestSimulator sim, string json)
    {
        using var response = await sim.Http.PostAsync("/v1/faults", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

using System.Net;
using System.Text.Json;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using PaySim.Contracts.Control.V1;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Control;

public sealed class ControlHttpTests
{
    [Fact]
    public async Task Cardholders_ReturnsTheCountAndPersonaAskedFor_InCamelCaseWithNumbers()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var doc = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/cardholders?count=5&persona=blocked"));
        var list = doc.RootElement.GetProperty("cardholders");

        Assert.Equal(5, list.GetArrayLength());
        foreach (var c in list.EnumerateArray())
        {
            Assert.Equal("blocked", c.GetProperty("persona").GetString());
            Assert.Equal("05", c.GetProperty("expectedResponseCode").GetString());
            Assert.Equal(JsonValueKind.Number, c.GetProperty("balanceMinor").ValueKind);
            Assert.Equal(16, c.GetProperty("pan").GetString()!.Length == 15 ? 16 : c.GetProperty("pan").GetString()!.Length);
            Assert.True(c.TryGetProperty("holderName", out _));
            Assert.True(c.TryGetProperty("inputPhone", out _));
        }

        using var all = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/cardholders"));
        Assert.Equal(100, all.RootElement.GetProperty("cardholders").GetArrayLength());
        using var magic = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/cardholders?persona=magic"));
        Assert.Equal(9, magic.RootElement.GetProperty("cardholders").GetArrayLength());
        using var en = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/cardholders?count=7&locale=en&offset=2"));
        Assert.All(en.RootElement.GetProperty("cardholders").EnumerateArray(), c => Assert.Equal("en", c.GetProperty("locale").GetString()));

        var bad = await sim.Http.GetAsync("/v1/cardholders?persona=nobody");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("allowed: healthy", await bad.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "/v1/reset", "POST")]
    [InlineData("POST", "/v1/risk", "GET, HEAD, PUT")]
    [InlineData("PUT", "/v1/faults", "DELETE, GET, HEAD, POST")]
    public async Task WrongMethod_Is405WithTheAllowHeader_AndOneJsonLineNamingTheAllowedMethods(string method, string path, string allowed)
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));

        using var response = await sim.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allowed, string.Join(", ", response.Content.Headers.Allow));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal($"method {method} is not allowed on {path}; allowed: {allowed}", body.RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("GET", "/v1/nothing")]
    [InlineData("GET", "/v1")]
    [InlineData("DELETE", "/v1/faults/slow")]
    [InlineData("POST", "/v1/nodes/issuer-1/down/now")]
    public async Task UnknownPath_Is404_WithOneJsonLineNamingTheMethodAndPath(string method, string path)
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));

        using var response = await sim.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(
            $"no route {method} {path}; GET / gives the addresses, docs/simulator.md (Control plane over HTTP) every route",
            body.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AnEndpointsOwn404_KeepsItsOwnLine()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));

        using var response = await sim.Http.DeleteAsync("/v1/faults?name=nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("no fault rule named 'nope'; rules: (none)", body.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Stats_CountsCallsPerNodeAndMethod_AndMetricsExposesThem()
    {
        await using var sim = await TestSimulator.StartAsync();
        for (var i = 0; i < 7; i++)
        {
            await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = "nope", AmountMinor = 1 });
        }

        for (var i = 0; i < 3; i++)
        {
            await sim.Issuers[1].CaptureAsync(new CaptureRequest { AuthorizationId = "nope", AmountMinor = 1 });
        }

        using var doc = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/stats"));
        var nodes = doc.RootElement.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!);

        Assert.Equal(["issuer-1", "issuer-2", "issuer-3", "sms"], nodes.Keys);
        Assert.Equal(7, nodes["issuer-1"].GetProperty("requests").GetInt64());
        Assert.Equal(3, nodes["issuer-2"].GetProperty("requests").GetInt64());
        Assert.Equal(0, nodes["issuer-3"].GetProperty("requests").GetInt64());
        var authorize = nodes["issuer-1"].GetProperty("methods").EnumerateArray().Single();
        Assert.Equal("Authorize", authorize.GetProperty("method").GetString());
        Assert.Equal(7, authorize.GetProperty("declines").GetInt64());
        Assert.Equal(0, authorize.GetProperty("errors").GetInt64());

        var metrics = await sim.Http.GetStringAsync("/metrics");
        Assert.Contains("paysim_calls_total{node=\"issuer-1\",method=\"Authorize\"} 7\n", metrics);
        Assert.Contains("paysim_calls_total{node=\"issuer-2\",method=\"Capture\"} 3\n", metrics);
        Assert.Contains("paysim_money_conserved 1\n", metrics);
    }

    [Fact]
    public async Task NodeDownOverHttp_RefusesConnections_AndUpRestoresIt()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 2));
        var request = new AuthorizeRequest { CardToken = "nope", AmountMinor = 1 };

        var down = await sim.Http.PostAsync("/v1/nodes/issuer-1/down", null);
        Assert.Equal(HttpStatusCode.OK, down.StatusCode);
        Assert.Contains("\"state\":\"DOWN\"", await down.Content.ReadAsStringAsync());
        var e = await Assert.ThrowsAsync<RpcException>(async () => await sim.Issuers[0].AuthorizeAsync(request));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("\"state\":\"DOWN\"", await sim.Http.GetStringAsync("/v1/nodes"));

        Assert.Equal(HttpStatusCode.OK, (await sim.Http.PostAsync("/v1/nodes/issuer-1/up", null)).StatusCode);
        // The old channel reconnects with its own backoff; a caller sees the node again within seconds.
        Assert.Equal("issuer-1", (await Eventually.SucceedsAsync(() => sim.Issuers[0].AuthorizeAsync(request).ResponseAsync)).Node);

        Assert.Equal(HttpStatusCode.OK, (await sim.Http.PostAsync("/v1/nodes/issuer-2/not-serving", null)).StatusCode);
        using var channel = GrpcChannel.ForAddress(sim.Host.IssuerNodes[1].Uri);
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, health.Status);
        Assert.Equal("14", (await sim.Issuers[1].AuthorizeAsync(request)).ResponseCode);
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.PostAsync("/v1/nodes/issuer-2/serving", null)).StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest())).Status);

        Assert.Equal(HttpStatusCode.NotFound, (await sim.Http.PostAsync("/v1/nodes/issuer-9/down", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await sim.Http.PostAsync("/v1/nodes/issuer-1/explode", null)).StatusCode);
    }

    // serving and not-serving switch only the health of a running node: on a DOWN node they are a 409 saying to bring
    // it up first, and the node stays DOWN (they used to restart its listener).
    [Theory]
    [InlineData("serving")]
    [InlineData("not-serving")]
    [InlineData("Not-Serving")]
    public async Task HealthSwitch_OnADownNode_Is409_AndLeavesItDown(string action)
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 2));
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.PostAsync("/v1/nodes/issuer-1/down", null)).StatusCode);

        using var response = await sim.Http.PostAsync($"/v1/nodes/ISSUER-1/{action}", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(
            $"node issuer-1 is DOWN: {action.ToLowerInvariant()} only switches the health of a running node; bring it up first (POST /v1/nodes/issuer-1/up)",
            JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        Assert.Equal(NodeState.Down, sim.Host.GetNodeState("issuer-1"));
        var e = await Assert.ThrowsAsync<RpcException>(async () => await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = "nope", AmountMinor = 1 }));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);

        // Up, then the switch works.
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.PostAsync("/v1/nodes/issuer-1/up", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.PostAsync($"/v1/nodes/issuer-1/{action}", null)).StatusCode);
    }

    [Fact]
    public async Task Reset_ClearsLedgerAndCounters_ButKeepsCardholders()
    {
        await using var sim = await TestSimulator.StartAsync();
        var card = sim.Host.ListCardholders(1, "healthy").Single();
        var token = await sim.BindAsync(card);
        await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = token, AmountMinor = 500, Currency = card.Currency });
        Assert.Contains("\"heldMinor\":500", await sim.Http.GetStringAsync("/v1/invariants"));

        Assert.Equal(HttpStatusCode.OK, (await sim.Http.PostAsync("/v1/reset", null)).StatusCode);

        using var inv = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/invariants"));
        Assert.Equal(0, inv.RootElement.GetProperty("heldMinor").GetInt64());
        Assert.True(inv.RootElement.GetProperty("moneyConserved").GetBoolean());
        Assert.Equal(0, sim.Host.GetStats().Nodes.Sum(n => n.Requests));
        Assert.Equal("14", (await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = token, AmountMinor = 1 })).ResponseCode);
        Assert.Equal(209, sim.Host.CardholderCount);
        Assert.Equal(209, sim.Host.Cardholders.Count());

        // Calls after the reset count from zero again (each method's cached counters follow the reset).
        var authorize = sim.Host.GetStats().Nodes.Single(n => n.Name == "issuer-1").Methods.Single(m => m.Method == "Authorize");
        Assert.Equal(1, authorize.Calls);
        Assert.Equal(1, authorize.Declines);
    }

    [Fact]
    public async Task ControlGrpc_ServesTheSameCallsOnItsOwnPort()
    {
        await using var sim = await TestSimulator.StartAsync();
        using var channel = GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        var control = new PaySim.Contracts.Control.V1.Control.ControlClient(channel);

        var list = await control.ListCardholdersAsync(new ListCardholdersRequest { Count = 3, Persona = "healthy" });
        var nodes = await control.ListNodesAsync(new ListNodesRequest());
        var status = await control.SetNodeStateAsync(new SetNodeStateRequest { Node = "issuer-3", State = NodeState.NotServing });

        Assert.Equal(3, list.Cardholders.Count);
        Assert.All(list.Cardholders, c => Assert.Equal("healthy", c.Persona));
        Assert.Equal(4, nodes.Nodes.Count);
        Assert.Equal(NodeState.NotServing, status.State);
        Assert.True((await control.GetInvariantsAsync(new GetInvariantsRequest())).MoneyConserved);
        var e = await Assert.ThrowsAsync<RpcException>(async () => await control.SetNodeStateAsync(new SetNodeStateRequest { Node = "nope", State = NodeState.Down }));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }
}

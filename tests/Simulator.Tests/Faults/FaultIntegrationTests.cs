using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Time.Testing;
using PaySim.Contracts.Control.V1;
using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Faults.Engine;
using PaySim.Simulator.Hosting;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Faults;

/// <summary>Every fault kind against a real simulator on ephemeral ports, with real gRPC and HTTP clients.</summary>
public sealed class FaultIntegrationTests
{
    private static readonly AuthorizeRequest UnknownToken = new() { CardToken = "tok_missing", AmountMinor = 1, Currency = "CNY" };

    [Fact]
    public async Task FixedDelayOf50Ms_NeverRepliesFasterThan50Ms()
    {
        await using var sim = await StartAsync();
        await PostFaultsAsync(sim, """{ "name": "slow", "node": "issuer-1", "method": "Authorize", "latency": { "fixed": "50ms" } }""");

        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            var reply = await sim.Issuers[0].AuthorizeAsync(UnknownToken);
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(50), $"replied after {watch.Elapsed.TotalMilliseconds} ms");
            Assert.Equal("14", reply.ResponseCode);
        }

        Assert.Equal(5, sim.Host.GetStats().Nodes.Single(n => n.Name == "issuer-1").Methods.Single(m => m.Method == "Authorize").Faults["latency"]);
    }

    [Fact]
    public async Task RuleOnVoid_HitsVoidOnly_AndIsCountedOnTheVoidRow()
    {
        await using var sim = await StartAsync();
        await PostFaultsAsync(sim, """{ "name": "no-release", "method": "Void", "error": { "grpcStatus": "UNAVAILABLE" } }""");

        var failed = await Assert.ThrowsAsync<RpcException>(async () => await sim.Issuers[0].VoidAsync(new VoidRequest { AuthorizationId = "auth_00000000ff" }));
        var refund = await sim.Issuers[0].RefundAsync(new RefundRequest { AuthorizationId = "auth_00000000ff", AmountMinor = 1 });

        Assert.Equal(StatusCode.Unavailable, failed.StatusCode);
        Assert.Equal("14", refund.ResponseCode);
        var methods = sim.Host.GetStats().Nodes.Single(n => n.Name == "issuer-1").Methods;
        Assert.Equal((1L, 1L, 1L), (methods.Single(m => m.Method == "Void").Calls, methods.Single(m => m.Method == "Void").Errors, methods.Single(m => m.Method == "Void").Faults["error"]));
        Assert.Empty(methods.Single(m => m.Method == "Refund").Faults);
    }

    [Fact]
    public async Task ErrorRule_ReturnsItsStatusAndMessage_AndResourceExhaustedCarriesRetryPushback()
    {
        await using var sim = await StartAsync();
        await PostFaultsAsync(sim, """
            [ { "name": "denied", "method": "Capture", "error": { "grpcStatus": "PERMISSION_DENIED", "message": "card frozen" } },
              { "name": "busy", "method": "Refund", "error": { "grpcStatus": "RESOURCE_EXHAUSTED", "retryPushbackMs": 750 } } ]
            """);

        var denied = await Assert.ThrowsAsync<RpcException>(async () => await sim.Issuers[0].CaptureAsync(new CaptureRequest { AuthorizationId = "x", AmountMinor = 1 }));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal("card frozen", denied.Status.Detail);

        var busy = await Assert.ThrowsAsync<RpcException>(async () => await sim.Issuers[1].RefundAsync(new RefundRequest { AuthorizationId = "x", AmountMinor = 1 }));
        Assert.Equal(StatusCode.ResourceExhausted, busy.StatusCode);
        Assert.Equal("750", busy.Trailers.GetValue("grpc-retry-pushback-ms"));

        var stats = sim.Host.GetStats();
        Assert.Equal(1, stats.Rules["denied"]);
        Assert.Equal(1, stats.Nodes.Single(n => n.Name == "issuer-1").Methods.Single(m => m.Method == "Capture").Faults["error"]);
        Assert.Equal(1, stats.Nodes.Single(n => n.Name == "issuer-1").Methods.Single(m => m.Method == "Capture").Errors);
    }

    [Fact]
    public async Task DeclineRule_Returns91IssuerUnavailableInAnOkReply()
    {
        await using var sim = await StartAsync();
        await PostFaultsAsync(sim, """{ "name": "bank-down", "method": "Authorize", "decline": { "code": "91" } }""");

        var reply = await sim.Issuers[1].AuthorizeAsync(UnknownToken);

        Assert.Equal("91", reply.ResponseCode);
        Assert.Equal(DeclineReason.IssuerUnavailable, reply.DeclineReason);
        Assert.Equal("issuer-2", reply.Node);
        Assert.Equal(1, sim.Host.GetStats().Nodes.Single(n => n.Name == "issuer-2").Methods.Single(m => m.Method == "Authorize").Declines);
    }

    [Fact]
    public async Task HangRule_LeavesTheCallerWithDeadlineExceeded()
    {
        await using var sim = await StartAsync();
        await PostFaultsAsync(sim, """{ "name": "stuck", "node": "issuer-1", "hang": {} }""");

        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await sim.Issuers[0].AuthorizeAsync(UnknownToken, deadline: DateTime.UtcNow.AddMilliseconds(300)));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"gave up after {watch.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task ResetAfterProcessing_MovesTheMoney_ButTheClientSeesAnError()
    {
        await using var sim = await StartAsync();
        var card = sim.Host.ListCardholders(1, "healthy").Single();
        var token = await sim.BindAsync(card);
        await PostFaultsAsync(sim, """{ "name": "lost-reply", "method": "Authorize", "times": 1, "reset": { "when": "after" } }""");
        var request = new AuthorizeRequest { CardToken = token, AmountMinor = 4_321, Currency = card.Currency, MerchantId = "m-1", OrderReference = "o-1", IdempotencyKey = "pay-1" };

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await sim.Issuers[0].AuthorizeAsync(request));

        Assert.Contains(ex.StatusCode, new[] { StatusCode.Internal, StatusCode.Unavailable, StatusCode.Cancelled });
        Assert.Equal(4_321, sim.Host.GetInvariants().HeldMinor);
        var retry = await Eventually.SucceedsAsync(() => sim.Issuers[1].AuthorizeAsync(request).ResponseAsync);
        Assert.Equal("00", retry.ResponseCode);
        Assert.Equal(4_321, sim.Host.GetInvariants().HeldMinor);
    }

    [Fact]
    public async Task ResetBeforeProcessing_MovesNoMoney()
    {
        await using var sim = await StartAsync();
        var card = sim.Host.ListCardholders(1, "healthy").Single();
        var token = await sim.BindAsync(card);
        await PostFaultsAsync(sim, """{ "name": "lost-request", "method": "Authorize", "reset": { "when": "before" } }""");

        await Assert.ThrowsAsync<RpcException>(async () => await sim.Issuers[0].AuthorizeAsync(
            new AuthorizeRequest { CardToken = token, AmountMinor = 500, Currency = card.Currency, MerchantId = "m", IdempotencyKey = "k" }));

        Assert.Equal(0, sim.Host.GetInvariants().HeldMinor);
    }

    [Fact]
    public async Task Outage_RefusesConnections_AndTheNodeServesAgainAfterDuration()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = TestSimulator.EphemeralOptions(nodes: 2, cardholders: 20);
        options.TimeProvider = time;
        await using var sim = await TestSimulator.StartAsync(options);
        Assert.Equal("14", (await sim.Issuers[1].AuthorizeAsync(UnknownToken)).ResponseCode);

        sim.Host.ApplyFaults("""{ "name": "node-loss", "node": "issuer-2", "outage": {}, "duration": "30s" }""");
        await WaitUntilAsync(() => sim.Host.GetNodeState("issuer-2") == NodeState.Down);

        using (var fresh = GrpcChannel.ForAddress(sim.Host.IssuerNodes[1].Uri))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(async () => await new PaySim.Contracts.Issuer.V1.Issuer.IssuerClient(fresh).AuthorizeAsync(UnknownToken));
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        }

        Assert.Equal("14", (await sim.Issuers[0].AuthorizeAsync(UnknownToken)).ResponseCode);

        time.Advance(TimeSpan.FromSeconds(30));
        await WaitUntilAsync(() => sim.Host.GetNodeState("issuer-2") == NodeState.Up);
        var back = await Eventually.SucceedsAsync(() => sim.Issuers[1].AuthorizeAsync(UnknownToken).ResponseAsync);
        Assert.Equal("issuer-2", back.Node);
        Assert.Equal("[]", sim.Host.FaultRulesJson);
    }

    [Fact]
    public async Task NotServingRule_ShowsOnTheHealthService_WhileCallsStillWork()
    {
        await using var sim = await StartAsync();
        using var channel = GrpcChannel.ForAddress(sim.Host.IssuerNodes[0].Uri);
        var health = new Health.HealthClient(channel);

        await PostFaultsAsync(sim, """{ "name": "sick", "node": "issuer-1", "notServing": {} }""");
        await WaitUntilAsync(() => sim.Host.GetNodeState("issuer-1") == NodeState.NotServing);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal("14", (await sim.Issuers[0].AuthorizeAsync(UnknownToken)).ResponseCode);

        (await sim.Http.DeleteAsync("/v1/faults?name=sick")).EnsureSuccessStatusCode();
        await WaitUntilAsync(() => sim.Host.GetNodeState("issuer-1") == NodeState.Up);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task BadRuleOverHttp_Is400WithOneLineNamingTheField_AndNothingIsApplied()
    {
        await using var sim = await StartAsync();

        var response = await sim.Http.PostAsync("/v1/faults", Json("""
            [ { "name": "good", "latency": "10ms" },
              { "name": "bad", "node": "issuer-1", "probability": 2, "error": { "grpcStatus": "UNAVAILABLE" } } ]
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        Assert.Contains("[1].probability", error);
        Assert.Contains("0–1", error);
        Assert.DoesNotContain('\n', error);
        var list = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/faults")).RootElement;
        Assert.Equal(0, list.GetProperty("count").GetInt32());
        Assert.Equal("14", (await sim.Issuers[0].AuthorizeAsync(UnknownToken)).ResponseCode);
    }

    [Theory]
    [InlineData("""{"name":"\ud800","latency":"1ms"}""", "name: not valid text (unpaired UTF-16 surrogate)")]
    [InlineData("""[{"name":"ok","latency":"1ms"},{"name":"x","latency":"1ms","match":{"metadata":{"\udc00":"v"}}}]""", "json: not valid text (unpaired UTF-16 surrogate) in a field name")]
    [InlineData("""{"name":"b1","latency":"1ms","duration":"0.0001ms"}""", "duration: \"0.0001ms\" must be more than 0")]
    public async Task BadRule_Is400AndInvalidArgument_WithOneLineNamingTheField_AndNothingIsApplied(string body, string expected)
    {
        await using var sim = await StartAsync();

        using var response = await sim.Http.PostAsync("/v1/faults", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        Assert.Contains(expected, error);
        Assert.DoesNotContain('\n', error);
        using var channel = GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        var control = new PaySim.Contracts.Control.V1.Control.ControlClient(channel);
        var e = await Assert.ThrowsAsync<RpcException>(async () => await control.ApplyFaultsAsync(new ApplyFaultsRequest { RulesJson = body }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains(expected, e.Status.Detail);
        Assert.Equal(0, JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/faults")).RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task FaultsOverHttp_ListAddAndClearByNameOrAll()
    {
        await using var sim = await StartAsync();

        await PostFaultsAsync(sim, """[ { "name": "a", "latency": "1ms" }, { "name": "b", "latency": "2ms" } ]""");
        var list = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/faults")).RootElement;
        Assert.Equal(["a", "b"], list.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("name").GetString()));

        Assert.Equal(HttpStatusCode.NotFound, (await sim.Http.DeleteAsync("/v1/faults?name=zzz")).StatusCode);
        var afterOne = JsonDocument.Parse(await (await sim.Http.DeleteAsync("/v1/faults?name=a")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, afterOne.GetProperty("count").GetInt32());
        var afterAll = JsonDocument.Parse(await (await sim.Http.DeleteAsync("/v1/faults")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, afterAll.GetProperty("count").GetInt32());

        var profile = await sim.Http.PostAsync("/v1/profiles/issuer-outage", null);
        profile.EnsureSuccessStatusCode();
        Assert.Equal("91", (await sim.Issuers[0].AuthorizeAsync(UnknownToken)).ResponseCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await sim.Http.PostAsync("/v1/profiles/nope", null)).StatusCode);
    }

    [Theory]
    [InlineData("?name=", "name: must be one rule name")]
    [InlineData("?name", "name: must be one rule name")]
    [InlineData("?name=a&name=b", "name: must be one rule name")]
    [InlineData("?nme=keep-a", "unknown query parameter 'nme'; allowed: name")]
    public async Task DeleteFaults_WithAnEmptyOrUnknownParameter_Is400NamingIt_AndClearsNothing(string query, string expected)
    {
        await using var sim = await StartAsync();
        await PostFaultsAsync(sim, """[ { "name": "a", "latency": "1ms" }, { "name": "b", "latency": "2ms" } ]""");

        using var response = await sim.Http.DeleteAsync("/v1/faults" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        Assert.StartsWith(expected, error);
        Assert.Equal(2, JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/faults")).RootElement.GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData("POST", "/v1/reset?node=issuer-1", "unknown query parameter 'node'; allowed: none")]
    [InlineData("GET", "/v1/cardholders?cont=5", "unknown query parameter 'cont'; allowed: count, persona, locale, offset")]
    [InlineData("GET", "/v1/merchants?ofset=5", "unknown query parameter 'ofset'; allowed: count, offset")]
    [InlineData("GET", "/v1/ledger?limt=5", "unknown query parameter 'limt'; allowed: since, limit")]
    public async Task ControlEndpoints_RefuseAnUnknownQueryParameter_NamingTheAllowedOnes(string method, string url, string expected)
    {
        await using var sim = await StartAsync();
        await PostFaultsAsync(sim, """{ "name": "a", "latency": "1ms" }""");

        using var response = await sim.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expected, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        Assert.Equal(1, JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/faults")).RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task XSimFaultHeader_ForcesARuleForOneCall()
    {
        await using var sim = await StartAsync();
        await PostFaultsAsync(sim, """{ "name": "on-demand", "probability": 0, "error": { "grpcStatus": "UNAVAILABLE", "message": "asked for it" } }""");

        var forced = await Assert.ThrowsAsync<RpcException>(async () =>
            await sim.Issuers[0].AuthorizeAsync(UnknownToken, new Metadata { { "x-sim-fault", "on-demand" } }));

        Assert.Equal(StatusCode.Unavailable, forced.StatusCode);
        Assert.Equal("asked for it", forced.Status.Detail);
        Assert.Equal("14", (await sim.Issuers[0].AuthorizeAsync(UnknownToken)).ResponseCode);
        var delayed = Stopwatch.StartNew();
        await sim.Issuers[0].AuthorizeAsync(UnknownToken, new Metadata { { "x-sim-delay-ms", "60" } });
        Assert.True(delayed.Elapsed >= TimeSpan.FromMilliseconds(60));
    }

    [Fact]
    public async Task MetadataRule_FiresOnlyOnCallsCarryingThatHeaderAndValue_AndFollowsRuleChanges()
    {
        await using var sim = await StartAsync();
        await PostFaultsAsync(sim, """{ "name": "qa-tenant", "match": { "metadata": { "X-Tenant": "qa" } }, "error": { "grpcStatus": "UNAVAILABLE", "message": "qa only" } }""");

        Assert.Equal("14", (await sim.Issuers[0].AuthorizeAsync(UnknownToken)).ResponseCode);
        Assert.Equal("14", (await sim.Issuers[0].AuthorizeAsync(UnknownToken, new Metadata { { "x-tenant", "prod" } })).ResponseCode);
        var qa = await Assert.ThrowsAsync<RpcException>(async () =>
            await sim.Issuers[0].AuthorizeAsync(UnknownToken, new Metadata { { "x-tenant", "qa" } }));
        Assert.Equal(StatusCode.Unavailable, qa.StatusCode);
        Assert.Equal("qa only", qa.Status.Detail);

        // A rule on another header, added later, is matched from its first call on.
        await PostFaultsAsync(sim, """{ "name": "canary", "match": { "metadata": { "x-canary": "1" } }, "decline": { "code": "91" } }""");
        Assert.Equal("91", (await sim.Issuers[0].AuthorizeAsync(UnknownToken, new Metadata { { "x-canary", "1" } })).ResponseCode);
        Assert.Equal("14", (await sim.Issuers[0].AuthorizeAsync(UnknownToken, new Metadata { { "x-canary", "0" } })).ResponseCode);
    }

    [Fact]
    public async Task CardRules_MatchAuthorizeAndConfirmBinding_ThroughTheCardTheTokenOrBindingStandsFor()
    {
        await using var sim = await StartAsync();
        var cards = sim.Host.ListCardholders(2, "healthy").ToList();
        var (target, other) = (cards[0], cards[1]);
        var targetToken = await sim.BindAsync(target);
        var otherToken = await sim.BindAsync(other);
        await PostFaultsAsync(sim, $$"""
            [
              { "name": "one-card", "method": "Authorize", "match": { "pan": "{{target.Pan}}" }, "decline": { "code": "51" } },
              { "name": "one-phone", "method": "ConfirmBinding", "match": { "phone": "{{target.Phone}}" }, "error": { "grpcStatus": "UNAVAILABLE" } }
            ]
            """);

        Assert.Equal("51", (await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = targetToken, AmountMinor = 100, Currency = target.Currency })).ResponseCode);
        Assert.Equal("00", (await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = otherToken, AmountMinor = 100, Currency = other.Currency })).ResponseCode);

        var started = await sim.Issuers[0].StartBindingAsync(new StartBindingRequest
        {
            Pan = target.Pan, Expiry = target.Expiry, Cvv = target.Cvv, HolderName = target.InputHolderName, IdNumber = target.InputIdNumber, Phone = target.InputPhone,
        });
        Assert.Equal("00", started.ResponseCode);
        var confirm = await Assert.ThrowsAsync<RpcException>(async () =>
            await sim.Issuers[1].ConfirmBindingAsync(new ConfirmBindingRequest { BindingId = started.BindingId, Otp = "000000" }));
        Assert.Equal(StatusCode.Unavailable, confirm.StatusCode);
        var unknown = await sim.Issuers[1].ConfirmBindingAsync(new ConfirmBindingRequest { BindingId = "bnd_unknown", Otp = "000000" });
        Assert.Equal("14", unknown.ResponseCode);
        Assert.Equal(1, sim.Host.GetStats().Rules["one-card"]);
        Assert.Equal(1, sim.Host.GetStats().Rules["one-phone"]);
    }

    [Fact]
    public async Task NoHeaderFaults_IgnoresTheHeaders()
    {
        var options = TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20);
        options.HeaderFaults = false;
        await using var sim = await TestSimulator.StartAsync(options);

        var reply = await sim.Issuers[0].AuthorizeAsync(UnknownToken, new Metadata { { "x-sim-status", "INTERNAL" } });

        Assert.Equal("14", reply.ResponseCode);
    }

    [Fact]
    public async Task ControlToken_IsRequiredOnEveryControlCall()
    {
        var options = TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20);
        options.ControlToken = "s3cret";
        await using var sim = await TestSimulator.StartAsync(options);

        Assert.Equal(HttpStatusCode.Unauthorized, (await sim.Http.GetAsync("/v1/faults")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await sim.Http.PostAsync("/v1/faults", Json("""{ "name": "x", "latency": "1ms" }"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await sim.Http.GetAsync("/v1/stats")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/v1/faults") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "guess") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await sim.Http.SendAsync(wrong)).StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, "/v1/faults") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "s3cret") } };
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.SendAsync(right)).StatusCode);

        using var channel = GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        var control = new PaySim.Contracts.Control.V1.Control.ControlClient(channel);
        var denied = await Assert.ThrowsAsync<RpcException>(async () => await control.ListFaultsAsync(new ListFaultsRequest()));
        Assert.Equal(StatusCode.Unauthenticated, denied.StatusCode);
        var ok = await control.ListFaultsAsync(new ListFaultsRequest(), new Metadata { { "authorization", "Bearer s3cret" } });
        Assert.Equal(0, ok.Count);
    }

    [Fact]
    public async Task ControlToken_AlsoGuardsHeaderFaults_ThatNeedXSimToken()
    {
        var options = TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20);
        options.ControlToken = "s3cret";
        await using var sim = await TestSimulator.StartAsync(options);

        var denied = await Assert.ThrowsAsync<RpcException>(async () =>
            await sim.Issuers[0].AuthorizeAsync(UnknownToken, new Metadata { { "x-sim-status", "UNAVAILABLE" } }));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Contains("x-sim-token", denied.Status.Detail);

        var forced = await Assert.ThrowsAsync<RpcException>(async () =>
            await sim.Issuers[0].AuthorizeAsync(UnknownToken, new Metadata { { "x-sim-status", "UNAVAILABLE" }, { "x-sim-token", "s3cret" } }));
        Assert.Equal(StatusCode.Unavailable, forced.StatusCode);

        Assert.Equal("14", (await sim.Issuers[0].AuthorizeAsync(UnknownToken)).ResponseCode);
    }

    [Fact]
    public async Task MalformedDelayHeader_IsInvalidArgument_OverTheWire()
    {
        await using var sim = await StartAsync();

        var bad = await Assert.ThrowsAsync<RpcException>(async () =>
            await sim.Issuers[0].AuthorizeAsync(UnknownToken, new Metadata { { "x-sim-delay-ms", "soon" } }));

        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.StartsWith("x-sim-delay-ms 'soon' must be a whole number", bad.Status.Detail);

        // The caller's mistake is not an injected fault: /v1/stats and /metrics count none.
        var stats = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/stats")).RootElement;
        var authorize = stats.GetProperty("nodes").EnumerateArray().SelectMany(n => n.GetProperty("methods").EnumerateArray())
            .Single(m => m.GetProperty("method").GetString() == "Authorize" && m.GetProperty("calls").GetInt64() > 0);
        Assert.Empty(authorize.GetProperty("faults").EnumerateObject());
        Assert.DoesNotContain("paysim_faults_total{", await sim.Http.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task RateLimit_BeyondTheBucket_GivesResourceExhausted()
    {
        await using var sim = await StartAsync();
        await PostFaultsAsync(sim, """{ "name": "limit", "node": "issuer-1", "rateLimit": { "perSecond": 1, "burst": 2 } }""");

        Assert.Equal("14", (await sim.Issuers[0].AuthorizeAsync(UnknownToken)).ResponseCode);
        Assert.Equal("14", (await sim.Issuers[0].AuthorizeAsync(UnknownToken)).ResponseCode);
        var limited = await Assert.ThrowsAsync<RpcException>(async () => await sim.Issuers[0].AuthorizeAsync(UnknownToken));

        Assert.Equal(StatusCode.ResourceExhausted, limited.StatusCode);
        Assert.InRange(int.Parse(limited.Trailers.GetValue("grpc-retry-pushback-ms")!), 1, 1_000);
        Assert.Equal("14", (await sim.Issuers[1].AuthorizeAsync(UnknownToken)).ResponseCode);
        Assert.Equal(1, sim.Host.GetStats().Rules["limit"]);
    }

    [Fact]
    public async Task Capacity_QueuesCallsBeyondTheLimit()
    {
        await using var sim = await StartAsync();
        await PostFaultsAsync(sim, """
            [ { "name": "one-at-a-time", "node": "issuer-1", "capacity": { "maxConcurrent": 1 } },
              { "name": "work", "node": "issuer-1", "latency": "100ms" } ]
            """);

        var watch = Stopwatch.StartNew();
        var replies = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => sim.Issuers[0].AuthorizeAsync(UnknownToken).ResponseAsync));

        Assert.All(replies, r => Assert.Equal("14", r.ResponseCode));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(300), $"3 calls of 100 ms through one slot took {watch.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task SmsDrop_TheCodeNeverArrives()
    {
        await using var sim = await StartAsync();
        var card = sim.Host.ListCardholders(1, "healthy").Single();
        await PostFaultsAsync(sim, """{ "name": "lost", "node": "sms", "smsDrop": {} }""");

        var start = await sim.Issuers[0].StartBindingAsync(new StartBindingRequest
        {
            Pan = card.Pan, Expiry = card.Expiry, Cvv = card.Cvv, HolderName = card.InputHolderName, IdNumber = card.InputIdNumber, Phone = card.InputPhone,
        });
        Assert.Equal("00", start.ResponseCode);
        var sms = await sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = card.Phone, TimeoutMs = 500 });

        Assert.False(sms.Found);
        Assert.Equal(1, sim.Host.GetStats().Rules["lost"]);
    }

    [Fact]
    public async Task SmsDuplicate_TheCodeArrivesTwice()
    {
        await using var sim = await StartAsync();
        var card = sim.Host.ListCardholders(1, "healthy").Single();
        await PostFaultsAsync(sim, """{ "name": "twice", "node": "sms", "smsDuplicate": { "copies": 2 } }""");

        await sim.Issuers[0].StartBindingAsync(new StartBindingRequest
        {
            Pan = card.Pan, Expiry = card.Expiry, Cvv = card.Cvv, HolderName = card.InputHolderName, IdNumber = card.InputIdNumber, Phone = card.InputPhone,
        });

        var messages = (await sim.Inbox.ListMessagesAsync(new ListMessagesRequest { Phone = card.Phone })).Messages;
        Assert.Equal(2, messages.Count);
        Assert.Equal(messages[0].Otp, messages[1].Otp);
    }

    [Fact]
    public async Task GrpcControl_AppliesListsLoadsAndClearsFaults_AndRefusesABadRuleWithInvalidArgument()
    {
        await using var sim = await StartAsync();
        using var channel = GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        var control = new PaySim.Contracts.Control.V1.Control.ControlClient(channel);

        var bad = await Assert.ThrowsAsync<RpcException>(async () =>
            await control.ApplyFaultsAsync(new ApplyFaultsRequest { RulesJson = """{ "name": "x", "error": { "grpcStatus": "NOPE" } }""" }));
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Contains("error.grpcStatus", bad.Status.Detail);

        var applied = await control.ApplyFaultsAsync(new ApplyFaultsRequest { RulesJson = """{ "name": "x", "method": "Capture", "error": { "grpcStatus": "ABORTED" } }""" });
        Assert.Equal(1, applied.Count);
        var loaded = await control.LoadProfileAsync(new LoadProfileRequest { Name = "issuer-slow" });
        Assert.Equal(2, loaded.Count);
        Assert.Contains("\"issuer-slow\"", (await control.ListFaultsAsync(new ListFaultsRequest())).RulesJson);
        Assert.Equal(1, (await control.ClearFaultsAsync(new ClearFaultsRequest { Name = "issuer-slow" })).Count);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(async () => await control.ClearFaultsAsync(new ClearFaultsRequest { Name = "issuer-slow" }))).StatusCode);
        Assert.Equal(0, (await control.ClearFaultsAsync(new ClearFaultsRequest())).Count);
    }

    [Fact]
    public async Task ProfileAtBoot_IsApplied_AndABadOneStopsTheStartWithOneLine()
    {
        var options = TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20);
        options.FaultProfile = "issuer-outage";
        await using (var sim = await TestSimulator.StartAsync(options))
        {
            Assert.Equal("91", (await sim.Issuers[0].AuthorizeAsync(UnknownToken)).ResponseCode);
        }

        options.FaultProfile = "node-loss";
        var ex = await Assert.ThrowsAsync<SimulatorStartException>(() => TestSimulator.StartAsync(options));
        Assert.Contains("profile node-loss: rules[0].node", ex.Message);
    }

    [Fact]
    public async Task ResetOverHttp_ClearsTheFaultRules()
    {
        await using var sim = await StartAsync();
        await PostFaultsAsync(sim, """{ "name": "e", "error": { "grpcStatus": "INTERNAL" } }""");

        (await sim.Http.PostAsync("/v1/reset", null)).EnsureSuccessStatusCode();

        Assert.Equal("[]", sim.Host.FaultRulesJson);
        Assert.Equal("14", (await sim.Issuers[0].AuthorizeAsync(UnknownToken)).ResponseCode);
    }

    [Fact]
    public async Task Metrics_ShowFaultsByKindAndByRule()
    {
        await using var sim = await StartAsync();
        await PostFaultsAsync(sim, """{ "name": "boom", "node": "issuer-1", "method": "Authorize", "error": { "grpcStatus": "INTERNAL" } }""");
        await Assert.ThrowsAsync<RpcException>(async () => await sim.Issuers[0].AuthorizeAsync(UnknownToken));

        var metrics = await sim.Http.GetStringAsync("/metrics");

        Assert.Contains("paysim_faults_total{node=\"issuer-1\",method=\"Authorize\",kind=\"error\"} 1", metrics);
        Assert.Contains("paysim_fault_rule_injections_total{rule=\"boom\"} 1", metrics);
    }

    [Fact]
    public async Task Journal_WhenEnabled_RecordsNodeMethodRuleAndOutcomeOfTheLastCalls()
    {
        var options = TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20);
        options.FaultJournal = 2;
        await using var sim = await TestSimulator.StartAsync(options);
        await PostFaultsAsync(sim, """{ "name": "nope", "method": "Capture", "error": { "grpcStatus": "ABORTED" } }""");

        await sim.Issuers[0].AuthorizeAsync(UnknownToken);
        await Assert.ThrowsAsync<RpcException>(async () => await sim.Issuers[0].CaptureAsync(new CaptureRequest { AuthorizationId = "x" }));
        await sim.Issuers[0].AuthorizeAsync(UnknownToken, new Metadata { { "x-sim-delay-ms", "1" } });

        var journal = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/journal")).RootElement;
        var calls = journal.GetProperty("calls").EnumerateArray().ToArray();
        Assert.Equal(3, journal.GetProperty("written").GetInt64());
        Assert.Equal(2, calls.Length);
        Assert.Equal(["Capture", "Authorize"], calls.Select(c => c.GetProperty("method").GetString()));
        Assert.Equal("nope", calls[0].GetProperty("rule").GetString());
        Assert.Equal("ABORTED", calls[0].GetProperty("outcome").GetString());
        Assert.Equal("x-sim-delay-ms", calls[1].GetProperty("rule").GetString());
        Assert.Equal("OK", calls[1].GetProperty("outcome").GetString());
    }

    private static Task<TestSimulator> StartAsync() => TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 2, cardholders: 50));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task PostFaultsAsync(TestSimulator sim, string json)
    {
        var response = await sim.Http.PostAsync("/v1/faults", Json(json));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(20);
        }
    }
}

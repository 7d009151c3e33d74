using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using PaySim.Contracts.Control.V1;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Control;

/// <summary>GET /v1/ledger and Control.GetLedger against a real simulator, money moved through real gRPC calls.</summary>
public sealed class LedgerEndpointTests
{
    [Fact]
    public async Task Ledger_PagesEveryAuthorization_InCamelCase_WithWhatBecameOfIt_AndTheNodeThatApprovedIt()
    {
        await using var sim = await TestSimulator.StartAsync();
        var card = sim.Host.ListCardholders(1, "healthy").Single();
        var token = await sim.BindAsync(card);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var auth = await sim.Issuers[i].AuthorizeAsync(new AuthorizeRequest
            {
                CardToken = token, AmountMinor = 1_000 * (i + 1), Currency = card.Currency, MerchantId = "shop", OrderReference = "o-" + i, IdempotencyKey = "k-" + i,
            });
            Assert.Equal("00", auth.ResponseCode);
            ids.Add(auth.AuthorizationId);
        }

        await sim.Issuers[0].CaptureAsync(new CaptureRequest { AuthorizationId = ids[0], IdempotencyKey = "c-0" });
        var voided = await sim.Issuers[1].VoidAsync(new VoidRequest { AuthorizationId = ids[1], IdempotencyKey = "v-1" });
        Assert.Equal(("00", 2_000L, "issuer-2"), (voided.ResponseCode, voided.ReleasedMinor, voided.Node));

        using var first = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/ledger?limit=2"));
        var cursor = first.RootElement.GetProperty("nextCursor").GetString();
        using var second = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/ledger?limit=2&since=" + Uri.EscapeDataString(cursor!)));

        Assert.True(first.RootElement.GetProperty("more").GetBoolean());
        Assert.False(second.RootElement.GetProperty("more").GetBoolean());
        var rows = first.RootElement.GetProperty("entries").EnumerateArray().Concat(second.RootElement.GetProperty("entries").EnumerateArray()).ToList();
        Assert.Equal(ids, rows.Select(r => r.GetProperty("authorizationId").GetString()));
        Assert.Equal(["captured", "released", "held"], rows.Select(r => r.GetProperty("state").GetString()));
        Assert.Equal(["issuer-1", "issuer-2", "issuer-3"], rows.Select(r => r.GetProperty("node").GetString()));
        var row = rows[1];
        Assert.Equal(2, row.GetProperty("sequence").GetInt64());
        Assert.Equal(card.Pan, row.GetProperty("pan").GetString());
        Assert.Equal(token, row.GetProperty("cardToken").GetString());
        Assert.Equal(("shop", "o-1", "k-1", card.Currency), (row.GetProperty("merchantId").GetString(), row.GetProperty("orderReference").GetString(), row.GetProperty("idempotencyKey").GetString(), row.GetProperty("currency").GetString()));
        Assert.Equal((2_000L, 0L, 2_000L, 0L), (row.GetProperty("authorizedMinor").GetInt64(), row.GetProperty("capturedMinor").GetInt64(), row.GetProperty("releasedMinor").GetInt64(), row.GetProperty("refundedMinor").GetInt64()));
        Assert.InRange(row.GetProperty("createdUnixMs").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        using var inv = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/invariants"));
        Assert.Equal((2_000L, 3_000L, 1_000L, true), (inv.RootElement.GetProperty("releasedMinor").GetInt64(), inv.RootElement.GetProperty("heldMinor").GetInt64(), inv.RootElement.GetProperty("capturedMinor").GetInt64(), inv.RootElement.GetProperty("moneyConserved").GetBoolean()));
        Assert.Contains("paysim_released_minor 2000\n", await sim.Http.GetStringAsync("/metrics"));
    }

    [Theory]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=10001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("since=yesterday", "since")]
    [InlineData("since=0.99", "since")]
    [InlineData("since=99.0", "since: cursor '99.0' is of reset epoch 99")]
    public async Task Ledger_WithABadSinceOrLimit_Is400WithOneLineNamingTheField(string query, string field)
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20));

        var reply = await sim.Http.GetAsync("/v1/ledger?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        using var body = JsonDocument.Parse(await reply.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error").GetString()!;
        Assert.StartsWith(field, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public async Task Ledger_HeadThenReset_TheOldCursorIs409_AndGrpcSaysFailedPrecondition()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20));
        using var head = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/ledger?limit=0"));
        var cursor = head.RootElement.GetProperty("nextCursor").GetString()!;
        Assert.Empty(head.RootElement.GetProperty("entries").EnumerateArray());

        Assert.Equal(HttpStatusCode.OK, (await sim.Http.PostAsync("/v1/reset", null)).StatusCode);

        var stale = await sim.Http.GetAsync("/v1/ledger?since=" + Uri.EscapeDataString(cursor));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("before the ledger was reset", await stale.Content.ReadAsStringAsync());
        using var channel = GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        var control = new PaySim.Contracts.Control.V1.Control.ControlClient(channel);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await control.GetLedgerAsync(new GetLedgerRequest { Since = cursor, Limit = 10 }));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.GetAsync("/v1/ledger")).StatusCode);
    }

    [Fact]
    public async Task GetLedger_OverGrpc_GivesTheSameEntries_AndRefusesABadLimitAsInvalidArgument()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 2));
        var card = sim.Host.ListCardholders(1, "healthy").Single();
        var token = await sim.BindAsync(card);
        for (var i = 0; i < 4; i++)
        {
            await sim.Issuers[i % 2].AuthorizeAsync(new AuthorizeRequest { CardToken = token, AmountMinor = 100 + i, Currency = card.Currency, MerchantId = "m", OrderReference = "o-" + i });
        }

        using var channel = GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        var control = new PaySim.Contracts.Control.V1.Control.ControlClient(channel);
        var head = await control.GetLedgerAsync(new GetLedgerRequest());
        var page = await control.GetLedgerAsync(new GetLedgerRequest { Limit = 10 });
        var bad = await Assert.ThrowsAsync<RpcException>(async () => await control.GetLedgerAsync(new GetLedgerRequest { Limit = 10_001 }));

        Assert.Empty(head.Entries);
        Assert.Equal(page.NextCursor, head.NextCursor);
        Assert.Equal([100L, 101, 102, 103], page.Entries.Select(e => e.AuthorizedMinor));
        Assert.Equal(["issuer-1", "issuer-2", "issuer-1", "issuer-2"], page.Entries.Select(e => e.Node));
        Assert.False(page.More);
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.StartsWith("limit must be 0 to 10000", bad.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(page, sim.Host.GetLedger("", 10));
    }

    [Fact]
    public async Task Ledger_NeedsTheControlToken_OverHttpAndGrpc()
    {
        var options = TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20);
        options.ControlToken = "s3cret";
        await using var sim = await TestSimulator.StartAsync(options);

        Assert.Equal(HttpStatusCode.Unauthorized, (await sim.Http.GetAsync("/v1/ledger")).StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, "/v1/ledger") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "s3cret") } };
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.SendAsync(right)).StatusCode);
        using var channel = GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        var control = new PaySim.Contracts.Control.V1.Control.ControlClient(channel);
        var denied = await Assert.ThrowsAsync<RpcException>(async () => await control.GetLedgerAsync(new GetLedgerRequest { Limit = 1 }));
        Assert.Equal(StatusCode.Unauthenticated, denied.StatusCode);
    }
}

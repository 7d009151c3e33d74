using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using PaySim.LoadTests.Tests.Support;
using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Tests.Wallets;

/// <summary>The REST adapter against two tiny in-process "wallet instances" on ephemeral ports.</summary>
public sealed class HttpWalletClientTests : IAsyncLifetime
{
    private readonly List<WebApplication> _apps = [];
    private readonly List<Uri> _urls = [];

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "wallet-a", "wallet-b" })
        {
            var app = await StartFakeAsync(name, 0);
            _apps.Add(app);
            _urls.Add(FakeHttpServer.UriOf(app));
        }
    }

    private static async Task<WebApplication> StartFakeAsync(string name, int port)
    {
        var app = await FakeHttpServer.StartAsync(server =>
        {
            server.Use(async (ctx, next) =>
            {
                ctx.Response.Headers["X-Served-By"] = name;
                await next();
            });
            server.MapPost("/users", () => Results.Json(new { userId = "u1", token = "t1" }, statusCode: 201));
            server.MapPost("/payments", (HttpRequest r) => r.Headers["Idempotency-Key"] == "k-1"
                ? Results.Json(new { paymentId = "p1", status = "completed" }, statusCode: 201)
                : Results.Json(new { error = new { code = "insufficient_funds", message = "too little money" } }, statusCode: 402));
            server.MapGet("/users/{id}/transactions", async (HttpRequest r) =>
            {
                if (r.Query["limit"] == "1000")
                {
                    return Results.Json(new
                    {
                        transactions = new object[]
                        {
                            new { id = "p1", kind = "payment", status = "completed", amount = 100, orderReference = "o-1", paymentId = "p1" },
                            new { id = "r1", kind = "Refund", status = "Pending", amount = "40", paymentId = "p1" },
                        },
                    });
                }

                await Task.Delay(TimeSpan.FromSeconds(2));
                return Results.Json(new { transactions = Array.Empty<object>() });
            });
            server.MapPost("/cards/bind/{id}/resend", (string id, HttpContext ctx) =>
            {
                if (id == "b-ok")
                {
                    return Results.Json(new { bindingId = id, status = "otp_resent" }, statusCode: 202);
                }

                if (id == "b-unsupported")
                {
                    return Results.Json(new { error = new { code = "resend_not_supported", message = "no resend here" } }, statusCode: 501);
                }

                if (id == "b-header")
                {
                    ctx.Response.Headers.RetryAfter = "3";
                    return Results.Json(new { error = new { code = "resend_too_soon", message = "wait" } }, statusCode: 429);
                }

                return Results.Json(new { error = new { code = "resend_too_soon", message = "wait", retryAfterMs = 1234 } }, statusCode: 429);
            });
            server.MapGet("/health", () => Results.Ok());
        }, port);
        return app;
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Calls_AreSpreadRoundRobinAndCountedPerInstanceFromXServedBy()
    {
        using var client = new HttpWalletClient(_urls, TimeSpan.FromSeconds(5));

        for (var i = 0; i < 10; i++)
        {
            var reply = await client.RegisterAsync("13800000000", "pass-word-1", "258147", CancellationToken.None);
            Assert.True(reply.Ok);
            Assert.Equal("u1", reply.Value!.UserId);
            Assert.Equal("t1", reply.Value.Token);
        }

        Assert.Equal(5, client.ServedBy["wallet-a"]);
        Assert.Equal(5, client.ServedBy["wallet-b"]);
    }

    [Fact]
    public async Task Pay_SendsTheIdempotencyKeyAndReadsTheWalletsErrorCode()
    {
        using var client = new HttpWalletClient(_urls, TimeSpan.FromSeconds(5));
        var user = new WalletUser("u1", "t1", "13800000000", "258147");
        var payment = new PaymentRequest("c1", 100, "CNY", "m", "o-1");

        var ok = await client.PayAsync(user, payment, "k-1", CancellationToken.None);
        var declined = await client.PayAsync(user, payment, "k-2", CancellationToken.None);

        Assert.True(ok.Ok);
        Assert.Equal("p1", ok.Value!.PaymentId);
        Assert.False(declined.Ok);
        Assert.Equal(402, declined.Status);
        Assert.Equal("insufficient_funds", declined.Code);
        Assert.Equal("too little money", declined.Message);
        Assert.NotNull(declined.ServedBy);
    }

    [Fact]
    public async Task ResendOtp_PostsToTheBindingsResendRouteAndReadsTheRetryAfterOfATooSoonReply()
    {
        using var client = new HttpWalletClient(_urls, TimeSpan.FromSeconds(5));
        var user = new WalletUser("u1", "t1", "13800000000", "258147");

        var ok = await client.ResendOtpAsync(user, "b-ok", CancellationToken.None);
        var fromBody = await client.ResendOtpAsync(user, "b-soon", CancellationToken.None);
        var fromHeader = await client.ResendOtpAsync(user, "b-header", CancellationToken.None);

        Assert.True(ok.Ok);
        Assert.Equal(202, ok.Status);
        Assert.Equal("otp_resent", ok.Value!.Status);
        Assert.Null(ok.RetryAfterMs);
        Assert.Equal((429, "resend_too_soon", 1234L), (fromBody.Status, fromBody.Code!, fromBody.RetryAfterMs!.Value));
        Assert.Equal(3000, fromHeader.RetryAfterMs);
    }

    [Fact]
    public async Task ResendOtp_AWalletsOwnResendNotSupportedOverHttp_IsTheWalletsAnswerNotTheClientsInability()
    {
        using var client = new HttpWalletClient(_urls, TimeSpan.FromSeconds(5));
        var user = new WalletUser("u1", "t1", "13800000000", "258147");

        var fromWallet = await client.ResendOtpAsync(user, "b-unsupported", CancellationToken.None);
        var fromDefault = await ((IWalletClient)new NoResendAdapter()).ResendOtpAsync(user, "b-1", CancellationToken.None);

        Assert.Equal((501, "resend_not_supported", false), (fromWallet.Status, fromWallet.Code!, fromWallet.ClientCannot));
        Assert.NotNull(fromWallet.ServedBy);
        Assert.Equal((501, "resend_not_supported", true), (fromDefault.Status, fromDefault.Code!, fromDefault.ClientCannot));
        Assert.True(fromDefault.As<int>().ClientCannot);
    }

    [Fact]
    public async Task ACallThatOutlastsTheTimeout_IsReportedAsTimeoutWithStatusZero()
    {
        using var client = new HttpWalletClient([_urls[0]], TimeSpan.FromMilliseconds(200));

        var reply = await client.GetTransactionsAsync(new WalletUser("u1", "t1", "1", "258147"), CancellationToken.None);

        Assert.False(reply.Ok);
        Assert.Equal(0, reply.Status);
        Assert.Equal("timeout", reply.Code);
    }

    [Fact]
    public async Task AnUnreachableInstance_IsConnectionFailedAndFailsTheHealthCheck()
    {
        var closed = new Uri($"http://127.0.0.1:{_urls[0].Port}");
        await _apps[0].StopAsync();
        using var client = new HttpWalletClient([closed], TimeSpan.FromSeconds(2));

        var reply = await client.RegisterAsync("13800000000", "pass-word-1", "258147", CancellationToken.None);
        var health = await client.CheckHealthAsync(CancellationToken.None);

        Assert.Equal("connection_failed", reply.Code);
        Assert.Equal(0, reply.Status);
        Assert.NotNull(health);
        Assert.Contains("unreachable", health, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_ReadsEveryTransactionWithItsKindStatusAmountAndPayment()
    {
        using var client = new HttpWalletClient([_urls[0]], TimeSpan.FromSeconds(5));

        var reply = await client.GetHistoryAsync(new WalletUser("u1", "t1", "1", "258147"), CancellationToken.None);

        Assert.True(reply.Ok, reply.Message);
        Assert.Equal(
            [new WalletTransaction("p1", "payment", "completed", 100, "p1", "o-1", null, null, null), new WalletTransaction("r1", "refund", "pending", 40, "p1", null, null, null, null)],
            reply.Value!);
    }

    [Fact]
    public async Task AnInstanceThatRefusesConnections_IsSkippedUntilItsBackOffEndsAndNoCallFails()
    {
        var time = new FakeTimeProvider();
        var port = _urls[0].Port;
        await _apps[0].StopAsync();
        using var client = new HttpWalletClient(_urls, TimeSpan.FromSeconds(5), time);

        for (var i = 0; i < 10; i++)
        {
            Assert.True((await client.RegisterAsync("13800000000", "pass-word-1", "258147", CancellationToken.None)).Ok);
        }

        Assert.Equal(10, client.ServedBy["wallet-b"]);
        Assert.Contains("passive health", client.Balancing, StringComparison.Ordinal);
        await using var back = await StartFakeAsync("wallet-a", port);
        await client.RegisterAsync("13800000000", "pass-word-1", "258147", CancellationToken.None);
        Assert.False(client.ServedBy.ContainsKey("wallet-a"));

        time.Advance(PassiveHealthBalancer.MaxBackOff);
        for (var i = 0; i < 4; i++)
        {
            await client.RegisterAsync("13800000000", "pass-word-1", "258147", CancellationToken.None);
        }

        Assert.Equal(2, client.ServedBy["wallet-a"]);
    }

    [Fact]
    public void Balancing_WithOneUrl_SaysTheBalancerBehindItDecides()
    {
        using var client = new HttpWalletClient([_urls[0]], TimeSpan.FromSeconds(5));

        Assert.StartsWith("one URL", client.Balancing, StringComparison.Ordinal);
    }

    /// <summary>An adapter that implements nothing optional: IWalletClient's defaults answer.</summary>
    private sealed class NoResendAdapter : IWalletClient
    {
        public IReadOnlyDictionary<string, long> ServedBy => new Dictionary<string, long>();

        public Task<WalletReply<WalletUser>> RegisterAsync(string phone, string password, string pin, CancellationToken ct) => throw new NotSupportedException();

        public Task<WalletReply<BindingStarted>> StartBindingAsync(WalletUser user, CardInput card, CancellationToken ct) => throw new NotSupportedException();

        public Task<WalletReply<BoundCard>> ConfirmBindingAsync(WalletUser user, string bindingId, string otp, CancellationToken ct) => throw new NotSupportedException();

        public Task<WalletReply<PaymentDone>> PayAsync(WalletUser user, PaymentRequest payment, string idempotencyKey, CancellationToken ct) => throw new NotSupportedException();

        public Task<WalletReply<RefundDone>> RefundAsync(WalletUser user, string paymentId, long amountMinor, string idempotencyKey, CancellationToken ct) => throw new NotSupportedException();

        public Task<WalletReply<int>> GetTransactionsAsync(WalletUser user, CancellationToken ct) => throw new NotSupportedException();

        public Task<string?> CheckHealthAsync(CancellationToken ct) => Task.FromResult<string?>(null);
    }
}

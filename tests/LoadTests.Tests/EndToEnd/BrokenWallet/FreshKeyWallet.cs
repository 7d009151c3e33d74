using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PaySim.Contracts.Issuer.V1;
using PaySim.LoadTests.Tests.Support;

namespace PaySim.LoadTests.Tests.EndToEnd.BrokenWallet;

/// <summary>
/// A deliberately broken wallet, written as a new user would from docs/your-wallet.md: it speaks the REST contract
/// and is idempotent towards the app (a retried Idempotency-Key replays), but when an Authorize fails it retries with
/// a FRESH issuer key and sends NO order reference, so a lost reply after the issuer held the money holds it twice.
/// Nothing shares a key, so the simulator's duplicate_charges cannot see it; only reconciliation can.
/// </summary>
internal sealed class FreshKeyWallet : IAsyncDisposable
{
    public const string Name = "fresh-key-wallet";
    private const int AuthorizeAttempts = 3;

    private readonly WebApplication _app;
    private readonly GrpcChannel[] _channels;
    private readonly ConcurrentDictionary<string, string> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _bindings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _cards = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string User, string Key), Payment> _payments = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<JsonObject>> _history = new(StringComparer.Ordinal);
    private long _next;

    private FreshKeyWallet(WebApplication app, GrpcChannel[] channels)
    {
        _app = app;
        _channels = channels;
    }

    public Uri Uri { get; private set; } = new("http://127.0.0.1/");

    public static async Task<FreshKeyWallet> StartAsync(IReadOnlyList<Uri> issuerNodes)
    {
        FreshKeyWallet? wallet = null;
        var app = await FakeHttpServer.StartAsync(server =>
        {
            wallet = new FreshKeyWallet(server, issuerNodes.Select(u => GrpcChannel.ForAddress(u)).ToArray());
            wallet.Map(server);
        });
        wallet!.Uri = FakeHttpServer.UriOf(app);
        return wallet;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    private Issuer.IssuerClient Issuer() => new(_channels[(int)(Interlocked.Increment(ref _next) % _channels.Length)]);

    private void Map(WebApplication app)
    {
        app.Use(async (ctx, next) =>
        {
            ctx.Response.Headers["X-Served-By"] = Name;
            await next();
        });
        app.MapGet("/health", () => Results.Ok());
        app.MapPost("/users", (JsonObject body) =>
        {
            var user = "u" + Guid.NewGuid().ToString("N");
            var token = "t" + Guid.NewGuid().ToString("N");
            _sessions[token] = user;
            _history[user] = new ConcurrentQueue<JsonObject>();
            return Results.Json(new { userId = user, token }, statusCode: 201);
        });
        app.MapPost("/cards/bind", BindAsync);
        app.MapPost("/cards/bind/{id}/confirm", ConfirmAsync);
        app.MapPost("/payments", PayAsync);
        app.MapPost("/payments/{id}/refund", RefundAsync);
        app.MapGet("/users/{id}/transactions", (string id) =>
            Results.Json(new { transactions = _history.TryGetValue(id, out var h) ? h.ToArray() : [] }));
    }

    private async Task<IResult> BindAsync(HttpContext ctx, JsonObject body)
    {
        var reply = await Issuer().StartBindingAsync(new StartBindingRequest
        {
            Pan = Str(body, "pan"), Expiry = Str(body, "expiry"), Cvv = Str(body, "cvv"), HolderName = Str(body, "holderName"),
            IdNumber = Str(body, "idNumber"), Phone = Str(body, "phone"), IdempotencyKey = Guid.NewGuid().ToString("N"),
        });
        if (reply.ResponseCode != "00")
        {
            return Error(402, "bind_declined");
        }

        _bindings[reply.BindingId] = User(ctx);
        return Results.Json(new { bindingId = reply.BindingId }, statusCode: 201);
    }

    private async Task<IResult> ConfirmAsync(HttpContext ctx, string id, JsonObject body)
    {
        var reply = await Issuer().ConfirmBindingAsync(new ConfirmBindingRequest { BindingId = id, Otp = Str(body, "otp"), IdempotencyKey = Guid.NewGuid().ToString("N") });
        if (reply.ResponseCode != "00")
        {
            return Error(402, "otp_wrong");
        }

        var card = "c" + Guid.NewGuid().ToString("N");
        _cards[card] = reply.CardToken;
        return Results.Json(new { cardId = card, last4 = reply.Last4 }, statusCode: 201);
    }

    private async Task<IResult> PayAsync(HttpContext ctx, JsonObject body)
    {
        var user = User(ctx);
        var key = ctx.Request.Headers["Idempotency-Key"].ToString();
        if (_payments.TryGetValue((user, key), out var done))
        {
            return Results.Json(new { paymentId = done.Id, status = "completed" }, statusCode: 200);
        }

        var amount = body["amount"]!.GetValue<long>();
        var token = _cards[Str(body, "cardId")];
        var auth = await AuthorizeWithFreshKeysAsync(token, amount, Str(body, "currency"), Str(body, "merchant"));
        if (auth?.ResponseCode != "00")
        {
            return auth is null ? Error(503, "issuer_unavailable") : Error(402, "declined");
        }

        var captureKey = Guid.NewGuid().ToString("N");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await Issuer().CaptureAsync(new CaptureRequest { AuthorizationId = auth.AuthorizationId, AmountMinor = amount, IdempotencyKey = captureKey });
                break;
            }
            catch (RpcException) when (attempt < 2)
            {
                // The capture's own retries keep their key: only Authorize is broken here.
            }
            catch (RpcException)
            {
                return Error(503, "issuer_unavailable");
            }
        }

        var payment = new Payment("p" + Guid.NewGuid().ToString("N"), auth.AuthorizationId, amount);
        _payments[(user, key)] = payment;
        _history[user].Enqueue(new JsonObject
        {
            ["id"] = payment.Id, ["kind"] = "payment", ["status"] = "completed", ["amount"] = amount, ["paymentId"] = payment.Id, ["orderReference"] = Str(body, "orderReference"),
        });
        return Results.Json(new { paymentId = payment.Id, status = "completed" }, statusCode: 201);
    }

    /// <summary>THE BUG: every retry is a new authorization (fresh key, no order reference) as far as the issuer can tell.</summary>
    private async Task<AuthorizeReply?> AuthorizeWithFreshKeysAsync(string token, long amount, string currency, string merchant)
    {
        for (var attempt = 0; attempt < AuthorizeAttempts; attempt++)
        {
            try
            {
                return await Issuer().AuthorizeAsync(new AuthorizeRequest
                {
                    CardToken = token, AmountMinor = amount, Currency = currency, MerchantId = merchant, IdempotencyKey = Guid.NewGuid().ToString("N"),
                });
            }
            catch (RpcException)
            {
            }
        }

        return null;
    }

    private async Task<IResult> RefundAsync(HttpContext ctx, string id, JsonObject body)
    {
        var user = User(ctx);
        var payment = _payments.Values.First(p => p.Id == id);
        var amount = body["amount"]!.GetValue<long>();
        await Issuer().RefundAsync(new RefundRequest { AuthorizationId = payment.AuthorizationId, AmountMinor = amount, IdempotencyKey = Guid.NewGuid().ToString("N") });
        _history[user].Enqueue(new JsonObject { ["id"] = "r" + Guid.NewGuid().ToString("N"), ["kind"] = "refund", ["status"] = "completed", ["amount"] = amount, ["paymentId"] = id });
        return Results.Json(new { refundId = id, status = "completed" }, statusCode: 201);
    }

    private string User(HttpContext ctx) => _sessions[ctx.Request.Headers.Authorization.ToString()["Bearer ".Length..]];

    private static string Str(JsonObject body, string name) => body[name]?.GetValue<string>() ?? string.Empty;

    private static IResult Error(int status, string code) => Results.Json(new { error = new { code, message = code } }, statusCode: status);

    private sealed record Payment(string Id, string AuthorizationId, long Amount);
}

using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using PaySim.Wallet.Accounts;
using PaySim.Wallet.Cards;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Errors;
using PaySim.Wallet.Observability;
using PaySim.Wallet.Payments;
using PaySim.Wallet.Storage;

namespace PaySim.Wallet.Api;

/// <summary>The REST/JSON surface (docs/wallet.md). Handlers translate HTTP to service calls and nothing more.</summary>
internal sealed class WalletEndpoints(
    string instanceName,
    WalletOptions options,
    AccountService accounts,
    PasswordResetService passwordResets,
    DeviceVerification devices,
    BindingService bindings,
    PaymentService payments,
    CardStore cards,
    PaymentStore paymentStore,
    NotificationStore notifications,
    WalletMetrics metrics,
    string integrationName,
    ILogger logger)
{
    public const string ServedByHeader = "X-Served-By";
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    // The listings have no paging: an offset or cursor would be ignored, so it is refused with this.
    private const string ListingNote = "the listing has no paging or cursor: it returns the newest entries, limit 1..1000 (default 50)";

    public void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Response.Headers[ServedByHeader] = instanceName;
            var started = options.TimeProvider.GetTimestamp();
            try
            {
                await RequestChecks.CheckAsync(context);
                await next(context);
                await RoutingErrorAsync(context);
            }
            catch (WalletException e)
            {
                await WriteErrorAsync(context, e.Error);
            }
            catch (BadHttpRequestException e)
            {
                // Kestrel's own limits (MaxRequestBodySize) arrive here as 413 while the body streams in.
                var code = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? ErrorCodes.BodyTooLarge : ErrorCodes.InvalidRequest;
                await WriteErrorAsync(context, new WalletError(e.StatusCode, code, e.Message));
            }
            catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                logger.LogError(e, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
                await WriteErrorAsync(context, new WalletError(500, ErrorCodes.InternalError, "The wallet failed unexpectedly; the error is logged."));
            }

            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            metrics.HttpRequest(context.Response.StatusCode, route, options.TimeProvider.GetElapsedTime(started));
        });

        // Every route in one group: each declares the query parameters it reads, RequestChecks refuses the rest.
        var routes = RequestChecks.Routes(app);
        routes.MapGet("/health", context => WriteAsync(context, 200, new { status = "ok", instance = instanceName, mode = integrationName, policy = options.BalancingPolicy }));
        routes.MapGet("/metrics", async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4";
            await metrics.WriteAsync(context.Response.Body, context.RequestAborted);
        }).AnyQuery();

        routes.MapPost("/users", CreateUserAsync);
        routes.MapPost("/sessions", CreateSessionAsync);
        routes.MapPost("/sessions/verify", VerifySessionAsync);
        routes.MapPost("/password-resets", StartPasswordResetAsync);
        routes.MapPost("/password-resets/confirm", ConfirmPasswordResetAsync);
        routes.MapGet("/cards", ListCardsAsync);
        routes.MapPost("/cards/bind", StartBindingAsync);
        routes.MapGet("/cards/bind/{id}", GetBindingAsync);
        routes.MapPost("/cards/bind/{id}/confirm", ConfirmBindingAsync);
        routes.MapPost("/cards/bind/{id}/resend", ResendOtpAsync);
        routes.MapPost("/payments", PayAsync);
        routes.MapPost("/payments/qr", PayByQrAsync);
        routes.MapGet("/payments/{id}", GetPaymentAsync);
        routes.MapPost("/payments/{id}/refund", RefundAsync);
        routes.MapPost("/payments/{id}/authenticate", AuthenticatePaymentAsync);
        routes.MapPost("/payments/{id}/resend", ResendPaymentOtpAsync);
        routes.MapGet("/users/{id}/transactions", ListTransactionsAsync).Query(ListingNote, "limit");
        routes.MapGet("/users/{id}/notifications", ListNotificationsAsync).Query(ListingNote, "limit");
    }

    /// <summary>
    /// Routing's own answers, which it leaves without a body, get the one error line: a known path asked with another
    /// method is routing's 405, whose Allow header lists the methods it takes; a path no route matches is a 404.
    /// </summary>
    private static Task RoutingErrorAsync(HttpContext context)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        return context.Response.StatusCode switch
        {
            StatusCodes.Status405MethodNotAllowed => WriteErrorAsync(context, new WalletError(405, ErrorCodes.MethodNotAllowed,
                $"method {Echo.Plain(context.Request.Method)} is not allowed on {Echo.Plain(context.Request.Path.ToString())}; allowed: {context.Response.Headers.Allow}")),
            StatusCodes.Status404NotFound when context.GetEndpoint() is null => WriteErrorAsync(context, new WalletError(404, ErrorCodes.NotFound,
                $"No route {Echo.Plain(context.Request.Method)} {Echo.Plain(context.Request.Path.ToString())}; see docs/wallet.md.")),
            _ => Task.CompletedTask,
        };
    }

    private async Task CreateUserAsync(HttpContext context)
    {
        var body = await ReadAsync<CreateUserRequest>(context) ?? throw WalletException.Invalid("a JSON body {phone, password, pin} is required");
        var device = DeviceVerification.DeviceId(SingleHeader(context, DeviceVerification.Header));
        var (user, token, expiresAt) = await accounts.RegisterAsync(body.Phone, body.Password, body.Pin, body.Name, context.RequestAborted);
        await devices.TrustAsync(user.Id, device, context.RequestAborted);
        await WriteAsync(context, 201, new { userId = user.Id, phone = user.Phone, token, expiresAt });
    }

    private async Task CreateSessionAsync(HttpContext context)
    {
        var body = await ReadAsync<CreateSessionRequest>(context) ?? throw WalletException.Invalid("a JSON body {phone, password} is required");
        var device = DeviceVerification.DeviceId(SingleHeader(context, DeviceVerification.Header));
        var user = await accounts.CheckPasswordAsync(body.Phone, body.Password, ClientAddress(context), context.RequestAborted);
        if (!await devices.IsTrustedAsync(user.Id, device, context.RequestAborted))
        {
            var (challengeId, ttl) = await devices.ChallengeAsync(user, device, context.RequestAborted);
            await WriteAsync(context, 202, new
            {
                status = "device_verification_required",
                challengeId,
                maskedPhone = MaskPhone(user.Phone),
                codeTtlSeconds = (long)ttl.TotalSeconds,
            });
            return;
        }

        var (token, expiresAt) = await accounts.OpenSessionAsync(user.Id, context.RequestAborted);
        await devices.TrustAsync(user.Id, device, context.RequestAborted);
        await WriteAsync(context, 200, new { userId = user.Id, token, expiresAt });
    }

    private async Task VerifySessionAsync(HttpContext context)
    {
        var body = await ReadAsync<VerifySessionRequest>(context) ?? throw WalletException.Invalid("a JSON body {challengeId, code} is required");
        var userId = await devices.VerifyAsync(body.ChallengeId, body.Code, context.RequestAborted);
        var (token, expiresAt) = await accounts.OpenSessionAsync(userId, context.RequestAborted);
        await WriteAsync(context, 200, new { userId, token, expiresAt });
    }

    private static string MaskPhone(string phone) => phone.Length <= 4 ? "****" : new string('*', phone.Length - 4) + phone[^4..];

    private async Task StartPasswordResetAsync(HttpContext context)
    {
        var body = await ReadAsync<StartPasswordResetRequest>(context) ?? throw WalletException.Invalid("a JSON body {phone} is required");
        var ttl = await passwordResets.StartAsync(body.Phone, context.RequestAborted);
        await WriteAsync(context, 202, new
        {
            status = "code_sent",
            codeTtlSeconds = (long)ttl.TotalSeconds,
            message = "If this phone is registered, a reset code is on its way by SMS.",
        });
    }

    private async Task ConfirmPasswordResetAsync(HttpContext context)
    {
        var body = await ReadAsync<ConfirmPasswordResetRequest>(context) ?? throw WalletException.Invalid("a JSON body {phone, code, newPassword} is required");
        await passwordResets.ConfirmAsync(body.Phone, body.Code, body.NewPassword, context.RequestAborted);
        await WriteAsync(context, 200, new { status = "password_reset", message = "The password is changed and every session has ended; log in with POST /sessions." });
    }

    private async Task ListCardsAsync(HttpContext context)
    {
        var userId = await AuthenticateAsync(context);
        var list = await cards.ListCardsAsync(userId, context.RequestAborted);
        await WriteAsync(context, 200, new { cards = list.Select(CardJson) });
    }

    private async Task StartBindingAsync(HttpContext context)
    {
        var userId = await AuthenticateAsync(context);
        var body = await ReadAsync<StartBindingInput>(context) ?? throw WalletException.Invalid("a JSON body {pan, expiry, cvv, holderName, idNumber, phone} is required");
        var (binding, ttl) = await bindings.StartAsync(userId, body, context.RequestAborted);
        await WriteAsync(context, 201, new { bindingId = binding.Id, status = binding.Status, maskedPhone = binding.MaskedPhone, last4 = binding.Last4, otpTtlSeconds = ttl });
    }

    private async Task GetBindingAsync(HttpContext context)
    {
        var userId = await AuthenticateAsync(context);
        var id = RouteId(context);
        var binding = await cards.GetBindingAsync(id, context.RequestAborted);
        if (binding is null || binding.UserId != userId)
        {
            throw new WalletException(new WalletError(404, ErrorCodes.BindingNotFound, $"No binding {Echo.Quoted(id)} for this user."));
        }

        await WriteAsync(context, 200, new { bindingId = binding.Id, status = binding.Status, maskedPhone = binding.MaskedPhone, last4 = binding.Last4, cardId = binding.CardId, errorCode = binding.ErrorCode });
    }

    private async Task ConfirmBindingAsync(HttpContext context)
    {
        var userId = await AuthenticateAsync(context);
        var body = await ReadAsync<ConfirmBindingBody>(context) ?? throw WalletException.Invalid("a JSON body {otp} is required");
        var id = RouteId(context);
        var card = await bindings.ConfirmAsync(userId, id, body.Otp, context.RequestAborted);
        await WriteAsync(context, 201, new { bindingId = id, status = BindingStatus.Confirmed, cardId = card.Id, last4 = card.Last4, network = card.Network });
    }

    private async Task ResendOtpAsync(HttpContext context)
    {
        var userId = await AuthenticateAsync(context);
        await ReadAsync<ResendBody>(context);
        var id = RouteId(context);
        await bindings.ResendAsync(userId, id, context.RequestAborted);
        await WriteAsync(context, 202, new { bindingId = id, status = "otp_resent" });
    }

    private async Task PayAsync(HttpContext context)
    {
        var userId = await AuthenticateAsync(context);
        var body = await ReadAsync<PaymentInput>(context) ?? throw WalletException.Invalid("a JSON body {amount, currency, merchant, orderReference, pin} is required");
        var key = SingleHeader(context, IdempotencyKeyHeader);
        await WritePaymentAsync(context, await payments.PayAsync(userId, key, body, context.RequestAborted));
    }

    private async Task PayByQrAsync(HttpContext context)
    {
        var userId = await AuthenticateAsync(context);
        var body = await ReadAsync<QrPaymentInput>(context) ?? throw WalletException.Invalid("a JSON body {qr, cardId?, pin, amount?} is required");
        var key = SingleHeader(context, IdempotencyKeyHeader);
        await WritePaymentAsync(context, await payments.PayAsync(userId, key, QrPayment.ToPayment(body, key), context.RequestAborted));
    }

    private static Task WritePaymentAsync(HttpContext context, PaymentResult result)
    {
        if (result.Replayed)
        {
            context.Response.Headers[ReplayedHeader] = "true";
        }

        // 202: the issuer asked for the SMS code (1A) and nothing is charged until POST /payments/{id}/authenticate.
        var status = result.Payment.Status == PaymentStatus.PendingAuthentication ? 202 : result.Replayed ? 200 : 201;
        return WriteAsync(context, status, PaymentJson(result.Payment));
    }

    private async Task AuthenticatePaymentAsync(HttpContext context)
    {
        var userId = await AuthenticateAsync(context);
        var body = await ReadAsync<AuthenticatePaymentBody>(context) ?? throw WalletException.Invalid("a JSON body {otp} is required");
        await WritePaymentAsync(context, await payments.AuthenticateAsync(userId, RouteId(context), body.Otp, context.RequestAborted));
    }

    private async Task ResendPaymentOtpAsync(HttpContext context)
    {
        var userId = await AuthenticateAsync(context);
        await ReadAsync<ResendBody>(context);
        var payment = await payments.ResendChallengeAsync(userId, RouteId(context), context.RequestAborted);
        await WriteAsync(context, 202, new { paymentId = payment.Id, status = "otp_resent", challenge = ChallengeJson(payment) });
    }

    private async Task GetPaymentAsync(HttpContext context)
    {
        var userId = await AuthenticateAsync(context);
        var id = RouteId(context);
        var payment = await paymentStore.GetAsync(id, context.RequestAborted);
        if (payment is null || payment.UserId != userId)
        {
            throw new WalletException(new WalletError(404, ErrorCodes.PaymentNotFound, $"No payment {Echo.Quoted(id)} for this user."));
        }

        await WriteAsync(context, 200, PaymentJson(payment));
    }

    private async Task RefundAsync(HttpContext context)
    {
        var userId = await AuthenticateAsync(context);
        var body = await ReadAsync<RefundBody>(context);
        var key = SingleHeader(context, IdempotencyKeyHeader);
        var result = await payments.RefundAsync(userId, RouteId(context), key, body?.Amount, context.RequestAborted);
        if (result.Replayed)
        {
            context.Response.Headers[ReplayedHeader] = "true";
        }

        await WriteAsync(context, result.Replayed ? 200 : 201, new
        {
            refundId = result.Refund.Id,
            paymentId = result.Payment.Id,
            status = result.Refund.Status,
            amount = result.Refund.AmountMinor,
            currency = result.Payment.Currency,
            paymentRefunded = result.Payment.RefundedMinor,
            createdAt = Time(result.Refund.CreatedAtMs),
        });
    }

    private async Task ListTransactionsAsync(HttpContext context)
    {
        var userId = await AuthenticateOwnerAsync(context);
        var list = await paymentStore.ListTransactionsAsync(userId, Limit(context), context.RequestAborted);
        await WriteAsync(context, 200, new
        {
            userId,
            transactions = list.Select(t => new
            {
                id = t.Id,
                kind = t.Kind,
                status = t.Status,
                amount = t.AmountMinor,
                currency = t.Currency,
                merchant = t.Merchant,
                orderReference = t.OrderReference,
                paymentId = t.PaymentId,
                errorCode = t.ErrorCode,
                createdAt = Time(t.CreatedAtMs),
                idempotencyKey = t.IdempotencyKey,
                cardId = t.CardId,
                authorizationId = t.AuthorizationId,
                updatedAt = Time(t.UpdatedAtMs),
                refunds = t.Kind == "payment"
                    ? t.Refunds.Select(r => new { refundId = r.Id, idempotencyKey = r.IdempotencyKey, amount = r.AmountMinor, status = r.Status, createdAt = Time(r.CreatedAtMs) })
                    : null,
            }),
        });
    }

    private async Task ListNotificationsAsync(HttpContext context)
    {
        var userId = await AuthenticateOwnerAsync(context);
        var list = await notifications.ListAsync(userId, Limit(context), context.RequestAborted);
        await WriteAsync(context, 200, new
        {
            userId,
            notifications = list.Select(n => new { id = n.Id, kind = n.Kind, paymentId = n.PaymentId, text = n.Text, createdAt = Time(n.CreatedAtMs) }),
        });
    }

    private Task<string> AuthenticateAsync(HttpContext context) =>
        accounts.AuthenticateAsync(context.Request.Headers.Authorization.ToString() is { Length: > 0 } h ? h : null, context.RequestAborted);

    private async Task<string> AuthenticateOwnerAsync(HttpContext context)
    {
        var userId = await AuthenticateAsync(context);
        return RouteId(context) == userId
            ? userId
            : throw new WalletException(new WalletError(403, ErrorCodes.Forbidden, "A session may only read its own user's data."));
    }

    /// <summary>
    /// A header the call reads as one value, or null when it is absent. Given more than once it is refused rather than
    /// joined ("aaa,bbb" would be a key, or a device, that the client never sent).
    /// </summary>
    private static string? SingleHeader(HttpContext context, string name)
    {
        var values = context.Request.Headers[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw WalletException.Invalid($"header '{name}' is given {values.Count} times; send it once"),
        };
    }

    private static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static string RouteId(HttpContext context) => context.Request.RouteValues["id"] as string ?? string.Empty;

    private static int Limit(HttpContext context)
    {
        var raw = context.Request.Query["limit"].ToString();
        if (raw.Length == 0)
        {
            return 50;
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= 1000
            ? limit
            : throw WalletException.Invalid("limit must be 1..1000");
    }

    private static object CardJson(CardRecord c) => new { cardId = c.Id, last4 = c.Last4, network = c.Network, createdAt = Time(c.CreatedAtMs) };

    private static object PaymentJson(PaymentRecord p) => new
    {
        paymentId = p.Id,
        status = p.Status,
        amount = p.AmountMinor,
        currency = p.Currency,
        merchant = p.Merchant,
        orderReference = p.OrderReference,
        cardId = p.CardId,
        authorizationId = p.AuthorizationId,
        refunded = p.RefundedMinor,
        errorCode = p.ErrorCode,
        createdAt = Time(p.CreatedAtMs),
        challenge = p.Status == PaymentStatus.PendingAuthentication ? ChallengeJson(p) : null,
    };

    private static object? ChallengeJson(PaymentRecord p) => p.ChallengeId is null
        ? null
        : new
        {
            id = p.ChallengeId,
            channel = "sms",
            maskedPhone = p.ChallengeMaskedPhone,
            expiresAt = p.ChallengeExpiresAtMs is { } ms ? Time(ms) : (DateTimeOffset?)null,
            otpTtlSeconds = p.ChallengeTtlSeconds,
        };

    private static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static async Task<T?> ReadAsync<T>(HttpContext context)
        where T : class
    {
        if (context.Request.ContentLength is 0)
        {
            return null;
        }

        // Kestrel stops a body at MaxRequestBodyBytes, so this buffer stays small; buffering tells an absent
        // body (chunked, empty) from a malformed one.
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        // RFC 8259 §8.1: a parser may ignore a UTF-8 byte order mark, and some clients (PowerShell, Windows editors) send one.
        var body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (WalletJson.InvalidUtf8At(body) is { } at)
        {
            // Once for every field: a byte that is no UTF-8 is a broken body, not a field of the wrong kind.
            throw new WalletException(new WalletError(400, ErrorCodes.InvalidRequest,
                $"the body is not valid UTF-8: byte 0x{body[at]:X2} at byte {at} (counting from 0) starts no UTF-8 character; send JSON text encoded as UTF-8"));
        }

        if (body.StartsWith(Utf8Bom))
        {
            body = body[Utf8Bom.Length..];
        }

        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(body, WalletJson.Requests);
        }
        catch (JsonException e)
        {
            throw new WalletException(new WalletError(400, ErrorCodes.InvalidRequest, WalletJson.Describe<T>(e, body)));
        }
    }

    private static Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(body, body.GetType(), WalletJson.Options, context.RequestAborted);
    }

    internal static Task WriteErrorAsync(HttpContext context, WalletError error)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        context.Response.StatusCode = error.Status;
        if (error.RetryAfterMs is { } ms)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(ms / 1000.0)).ToString(CultureInfo.InvariantCulture);
        }

        return context.Response.WriteAsJsonAsync(
            new { error = new { code = error.Code, message = error.Message, attemptsLeft = error.AttemptsLeft, retryAfterMs = error.RetryAfterMs, issuerCode = error.IssuerCode, node = error.Node } },
            WalletJson.Options,
            CancellationToken.None);
    }
}

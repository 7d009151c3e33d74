using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Wallets;

/// <summary>
/// The reference wallet's REST/JSON contract (docs/wallet.md) over one pooled HttpClient. Several
/// wallet URLs are used in turn per request, as a round-robin load balancer in front of replicas would,
/// with passive health: a URL that refuses the connection is skipped for a while and the call goes to the
/// next one (nothing was sent, so nothing can happen twice). A single URL behind a real balancer works the
/// same, and X-Served-By shows who answered.
/// </summary>
public sealed class HttpWalletClient : IWalletClient, IDisposable
{
    public const string ServedByHeader = "X-Served-By";
    public const string IdempotencyHeader = "Idempotency-Key";

    private readonly HttpClient _http;
    private readonly IReadOnlyList<Uri> _endpoints;
    private readonly TimeSpan _timeout;
    /// <summary>Rows asked per history page; the reference wallet's maximum.</summary>
    public const int HistoryPage = 1000;

    private readonly ConcurrentDictionary<string, long> _servedBy = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Name, int Endpoint), byte> _servedThrough = new();
    private readonly PassiveHealthBalancer _balancer;

    /// <summary>What <c>JsonContent</c> would send (camelCase web defaults), as bytes with a length.</summary>
    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web);

    public HttpWalletClient(IReadOnlyList<Uri> endpoints, TimeSpan timeout, TimeProvider? time = null)
    {
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("at least one wallet URL is required.", nameof(endpoints));
        }

        _endpoints = endpoints;
        _timeout = timeout;
        _balancer = new PassiveHealthBalancer(endpoints.Count, time ?? TimeProvider.System);
        var handler = new SocketsHttpHandler
        {
            // A load generator must not be the bottleneck: many connections per instance, no proxy lookups.
            MaxConnectionsPerServer = 512,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseProxy = false,
            ConnectTimeout = timeout,
            // A redirect would take the load to a host the target check never saw (LocalTarget): a 3xx is the reply.
            AllowAutoRedirect = false,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public IReadOnlyDictionary<string, long> ServedBy => new Dictionary<string, long>(_servedBy);

    /// <summary>Which wallet URLs (as given) each X-Served-By name answered through: a URL no name lists never answered with one.</summary>
    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> ServedThrough =>
        _servedThrough.Keys.GroupBy(k => k.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyCollection<string>)g.Select(k => _endpoints[k.Endpoint].ToString()).ToArray(), StringComparer.Ordinal);

    public string Balancing => _endpoints.Count == 1
        ? "one URL: the balancer behind it decides (X-Served-By shows who answered)"
        : $"round robin over {_endpoints.Count} URLs with passive health (a refused connection skips the instance for {PassiveHealthBalancer.FirstBackOff.TotalMilliseconds:0} ms doubling to {PassiveHealthBalancer.MaxBackOff.TotalSeconds:0} s, and the call goes to the next)";

    public Task<WalletReply<WalletUser>> RegisterAsync(string phone, string password, string pin, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "users", null, new { phone, password, pin }, null, cancellationToken, body =>
            new WalletUser(Str(body, "userId", "id") ?? string.Empty, Str(body, "token", "accessToken", "sessionToken") ?? string.Empty, phone, pin));

    public Task<WalletReply<BindingStarted>> StartBindingAsync(WalletUser user, CardInput card, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "cards/bind", user, new
        {
            pan = card.Pan,
            expiry = card.Expiry,
            cvv = card.Cvv,
            holderName = card.HolderName,
            idNumber = card.IdNumber,
            phone = card.Phone,
        }, null, cancellationToken, body => new BindingStarted(Str(body, "bindingId", "id") ?? string.Empty, Str(body, "maskedPhone")));

    public Task<WalletReply<BoundCard>> ConfirmBindingAsync(WalletUser user, string bindingId, string otp, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"cards/bind/{Uri.EscapeDataString(bindingId)}/confirm", user, new { otp }, null, cancellationToken, body =>
            new BoundCard(Str(body, "cardId", "id") ?? string.Empty, Str(body, "last4", "lastFour")));

    public Task<WalletReply<OtpResent>> ResendOtpAsync(WalletUser user, string bindingId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"cards/bind/{Uri.EscapeDataString(bindingId)}/resend", user, null, null, cancellationToken, body =>
            new OtpResent(Str(body, "bindingId", "id") ?? bindingId, Str(body, "status")));

    public Task<WalletReply<PaymentDone>> PayAsync(WalletUser user, PaymentRequest payment, string idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "payments", user, new
        {
            cardId = payment.CardId,
            amount = payment.AmountMinor,
            currency = payment.Currency,
            merchant = payment.Merchant,
            orderReference = payment.OrderReference,
            pin = user.Pin,
        }, idempotencyKey, cancellationToken, ReadPayment);

    public Task<WalletReply<PaymentDone>> AuthenticatePaymentAsync(WalletUser user, string paymentId, string otp, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"payments/{Uri.EscapeDataString(paymentId)}/authenticate", user, new { otp }, null, cancellationToken, ReadPayment);

    public Task<WalletReply<OtpResent>> ResendPaymentOtpAsync(WalletUser user, string paymentId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"payments/{Uri.EscapeDataString(paymentId)}/resend", user, null, null, cancellationToken, body =>
            new OtpResent(Str(body, "paymentId", "id") ?? paymentId, Str(body, "status")));

    private static PaymentDone ReadPayment(JsonNode? body) =>
        new(Str(body, "paymentId", "id") ?? string.Empty, Str(body, "status")) { ChallengeId = Str(body?["challenge"], "id", "challengeId") };

    public Task<WalletReply<PaymentDone>> PayQrAsync(WalletUser user, QrPaymentRequest payment, string idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "payments/qr", user, payment.AmountMinor is { } amount
            ? new { qr = payment.Qr, cardId = payment.CardId, pin = user.Pin, amount }
            // A dynamic code carries its amount; the app sends none.
            : (object)new { qr = payment.Qr, cardId = payment.CardId, pin = user.Pin }, idempotencyKey, cancellationToken, body => new PaymentDone(Str(body, "paymentId", "id") ?? string.Empty, Str(body, "status")));

    public async Task<WalletReply<WalletUser>> LoginAsync(string phone, string password, string pin, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(HttpMethod.Post, "sessions", null, new { phone, password }, null, cancellationToken, body =>
            (Status: Str(body, "status"), User: new WalletUser(Str(body, "userId", "id") ?? string.Empty, Str(body, "token", "accessToken", "sessionToken") ?? string.Empty, phone, pin))).ConfigureAwait(false);
        if (reply is { Ok: true, Value: var (status, user) })
        {
            // A 202 device challenge is no session: the app would have to read a second SMS (docs/wallet.md, "New devices").
            return status == WalletReply<WalletUser>.DeviceVerificationRequired || user.Token.Length == 0
                ? WalletReply<WalletUser>.Failure(reply.Status, WalletReply<WalletUser>.DeviceVerificationRequired, $"the login answered {reply.Status} {status ?? "without a token"}", reply.ServedBy) with { Bytes = reply.Bytes }
                : WalletReply<WalletUser>.Success(user, reply.Status, reply.ServedBy) with { Bytes = reply.Bytes };
        }

        return reply.As<WalletUser>();
    }

    public Task<WalletReply<ResetRequested>> StartPasswordResetAsync(string phone, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "password-resets", null, new { phone }, null, cancellationToken, body =>
            new ResetRequested(Str(body, "status"), Minor((body as JsonObject)?["codeTtlSeconds"]) is var ttl and > 0 ? ttl : null));

    public Task<WalletReply<PasswordChanged>> ConfirmPasswordResetAsync(string phone, string code, string newPassword, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "password-resets/confirm", null, new { phone, code, newPassword }, null, cancellationToken, body => new PasswordChanged(Str(body, "status")));

    public Task<WalletReply<RefundDone>> RefundAsync(WalletUser user, string paymentId, long amountMinor, string idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"payments/{Uri.EscapeDataString(paymentId)}/refund", user, new { amount = amountMinor }, idempotencyKey, cancellationToken, body =>
            new RefundDone(Str(body, "refundId", "id"), Str(body, "status")));

    public Task<WalletReply<int>> GetTransactionsAsync(WalletUser user, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"users/{Uri.EscapeDataString(user.UserId)}/transactions", user, null, null, cancellationToken, body =>
            body switch
            {
                JsonArray a => a.Count,
                JsonObject o when o["transactions"] is JsonArray t => t.Count,
                JsonObject o when o["items"] is JsonArray t => t.Count,
                _ => 0,
            });

    public async Task<WalletReply<IReadOnlyList<WalletTransaction>>> GetHistoryAsync(WalletUser user, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(HttpMethod.Get, $"users/{Uri.EscapeDataString(user.UserId)}/transactions?limit={HistoryPage}", user, null, null, cancellationToken, ReadHistory).ConfigureAwait(false);
        if (reply is { Ok: true, Value.Count: >= HistoryPage })
        {
            // The reference contract has no cursor: a full page may hide older rows, and a partial view must not pass as whole.
            return WalletReply<IReadOnlyList<WalletTransaction>>.Failure(reply.Status, "history_truncated", $"user {user.UserId} has {HistoryPage} or more transactions; the wallet view would be incomplete", reply.ServedBy);
        }

        return reply;
    }

    public async Task<string?> CheckHealthAsync(CancellationToken cancellationToken)
    {
        foreach (var endpoint in _endpoints)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                using var reply = await _http.GetAsync(new Uri(endpoint, "health"), cts.Token).ConfigureAwait(false);
                if (!reply.IsSuccessStatusCode)
                {
                    return $"wallet {endpoint}: GET /health answered {(int)reply.StatusCode}{Redirect.Describe(reply)}";
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                return $"wallet {endpoint}: unreachable ({(ex is OperationCanceledException ? "no answer in 3 s" : ex.Message)})";
            }
        }

        return null;
    }

    public void Dispose() => _http.Dispose();

    private static IReadOnlyList<WalletTransaction> ReadHistory(JsonNode? body)
    {
        var rows = body switch
        {
            JsonArray a => a,
            JsonObject o when o["transactions"] is JsonArray t => t,
            JsonObject o when o["items"] is JsonArray t => t,
            _ => [],
        };
        return rows.OfType<JsonObject>().Select(o => new WalletTransaction(
            Str(o, "id", "transactionId") ?? string.Empty,
            (Str(o, "kind", "type") ?? "payment").ToLowerInvariant(),
            (Str(o, "status", "state") ?? string.Empty).ToLowerInvariant(),
            Minor(o["amount"] ?? o["amountMinor"]),
            Str(o, "paymentId"),
            Str(o, "orderReference"),
            Str(o, "merchant", "merchantId"),
            Str(o, "idempotencyKey"),
            Str(o, "cardId"))).ToArray();
    }

    private static long Minor(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => (long)d,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var p) => p,
        _ => 0,
    };

    private static string? Str(JsonNode? body, params string[] names)
    {
        if (body is not JsonObject o)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (o[name] is JsonValue v)
            {
                return v.TryGetValue<string>(out var s) ? s : v.ToJsonString();
            }
        }

        // Some APIs wrap the resource: {"payment": {...}}.
        foreach (var (_, child) in o)
        {
            if (child is JsonObject inner && Str(inner, names) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static string? Text(JsonNode? node) => node is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : null;

    /// <summary>The body's <c>retryAfterMs</c> (milliseconds, exact) or else the <c>Retry-After</c> header in seconds.</summary>
    private static long? RetryAfter(JsonNode? error, HttpResponseMessage reply)
    {
        if ((error as JsonObject)?["retryAfterMs"] is JsonValue v && v.TryGetValue<long>(out var ms) && ms >= 0)
        {
            return ms;
        }

        return reply.Headers.RetryAfter?.Delta is { } delta ? (long)delta.TotalMilliseconds : null;
    }

    private async Task<WalletReply<T>> SendAsync<T>(HttpMethod method, string path, WalletUser? user, object? body, string? idempotencyKey, CancellationToken cancellationToken, Func<JsonNode?, T> read)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_timeout);
        // Serialized once, before any attempt: the body goes out with its Content-Length, never chunked.
        var sent = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, BodyJson);
        var tried = 0UL;
        for (var attempt = 0; ; attempt++)
        {
            var i = _balancer.Pick(tried);
            tried |= 1UL << (i % 64);
            try
            {
                using var request = Request(method, new Uri(_endpoints[i], path), user, sent, idempotencyKey);
                using var reply = await _http.SendAsync(request, cts.Token).ConfigureAwait(false);
                _balancer.Answered(i);
                return await ReadAsync(request, sent, reply, i, cts.Token, read).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return WalletReply<T>.Failure(0, "timeout", $"no reply within {_timeout.TotalSeconds:0.#} s", null);
            }
            catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError)
            {
                // Refused: the request never left, so another instance may take it (a balancer's redispatch).
                _balancer.Refused(i);
                if (attempt + 1 >= Math.Min(_endpoints.Count, 64))
                {
                    return WalletReply<T>.Failure(0, "connection_failed", ex.Message, null);
                }
            }
            catch (HttpRequestException ex)
            {
                return WalletReply<T>.Failure(0, "connection_failed", ex.Message, null);
            }
        }
    }

    /// <summary>
    /// A JSON body buffered as bytes, so the request carries <c>Content-Length</c> and no
    /// <c>Transfer-Encoding: chunked</c> (docs/your-wallet.md, "Request framing"): a wallet that reads only
    /// Content-Length sees the whole body. A POST without a body (resend) goes out with <c>Content-Length: 0</c>.
    /// </summary>
    private static HttpRequestMessage Request(HttpMethod method, Uri uri, WalletUser? user, byte[]? body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json", "utf-8");
            request.Content = content;
        }

        if (user is not null && user.Token.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyHeader, idempotencyKey);
        }

        return request;
    }

    private async Task<WalletReply<T>> ReadAsync<T>(HttpRequestMessage request, byte[]? sent, HttpResponseMessage reply, int endpoint, CancellationToken ct, Func<JsonNode?, T> read)
    {
        var servedBy = reply.Headers.TryGetValues(ServedByHeader, out var values) ? values.FirstOrDefault() : null;
        if (servedBy is not null)
        {
            _servedBy.AddOrUpdate(servedBy, 1, (_, n) => n + 1);
            if (!_servedThrough.ContainsKey((servedBy, endpoint)))
            {
                _servedThrough.TryAdd((servedBy, endpoint), 0);
            }
        }

        var received = await reply.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        JsonNode? json = null;
        if (received.Length > 0)
        {
            try
            {
                json = JsonNode.Parse(received);
            }
            catch (JsonException)
            {
                json = null;
            }
        }

        var status = (int)reply.StatusCode;
        if (reply.IsSuccessStatusCode)
        {
            return WalletReply<T>.Success(read(json), status, servedBy) with { Bytes = received.Length };
        }

        // {"error": {"code", "message"}} as the contract says; a bare {"error": "text"} is read as the message.
        var error = json is JsonObject o ? o["error"] : null;
        var code = Text((error as JsonObject)?["code"]) ?? $"{WalletReply<T>.NoCodePrefix}{status}";
        var message = error is JsonValue ? Text(error) : Text((error as JsonObject)?["message"]);
        return WalletReply<T>.Failure(status, code, message, servedBy) with
        {
            Bytes = received.Length,
            RetryAfterMs = RetryAfter(error, reply),
            IssuerCode = Text((error as JsonObject)?["issuerCode"]),
            Exchange = WalletExchange.Describe(request, sent, reply, received),
        };
    }
}

using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaySim.LoadTests.Wallets;

/// <summary>
/// The reference wallet's REST/JSON contract (docs/wallet.md) over one pooled HttpClient. Several
/// wallet URLs are used in turn per request, as a round-robin load balancer in front of replicas would;
/// a single URL behind a real balancer works the same, and X-Served-By shows who answered.
/// </summary>
public sealed class HttpWalletClient : IWalletClient, IDisposable
{
    public const string ServedByHeader = "X-Served-By";
    public const string IdempotencyHeader = "Idempotency-Key";

    private readonly HttpClient _http;
    private readonly IReadOnlyList<Uri> _endpoints;
    private readonly TimeSpan _timeout;
    private readonly ConcurrentDictionary<string, long> _servedBy = new(StringComparer.Ordinal);
    private long _next = -1;

    public HttpWalletClient(IReadOnlyList<Uri> endpoints, TimeSpan timeout)
    {
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("at least one wallet URL is required.", nameof(endpoints));
        }

        _endpoints = endpoints;
        _timeout = timeout;
        var handler = new SocketsHttpHandler
        {
            // A load generator must not be the bottleneck: many connections per instance, no proxy lookups.
            MaxConnectionsPerServer = 512,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseProxy = false,
            ConnectTimeout = timeout,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public IReadOnlyDictionary<string, long> ServedBy => new Dictionary<string, long>(_servedBy);

    public IReadOnlyList<Uri> Endpoints => _endpoints;

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
        }, idempotencyKey, cancellationToken, body => new PaymentDone(Str(body, "paymentId", "id") ?? string.Empty, Str(body, "status")));

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
                    return $"wallet {endpoint}: GET /health answered {(int)reply.StatusCode}";
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

    /// <summary>The body's <c>retryAfterMs</c> (milliseconds, exact) or else the <c>Retry-After</c> header in seconds.</summary>
    private static long? RetryAfter(JsonNode? error, HttpResponseMessage reply)
    {
        if (error?["retryAfterMs"] is JsonValue v && v.TryGetValue<long>(out var ms) && ms >= 0)
        {
            return ms;
        }

        return reply.Headers.RetryAfter?.Delta is { } delta ? (long)delta.TotalMilliseconds : null;
    }

    private async Task<WalletReply<T>> SendAsync<T>(HttpMethod method, string path, WalletUser? user, object? body, string? idempotencyKey, CancellationToken cancellationToken, Func<JsonNode?, T> read)
    {
        var endpoint = _endpoints[(int)((ulong)Interlocked.Increment(ref _next) % (ulong)_endpoints.Count)];
        using var request = new HttpRequestMessage(method, new Uri(endpoint, path));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (user is not null && user.Token.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyHeader, idempotencyKey);
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_timeout);
        try
        {
            using var reply = await _http.SendAsync(request, cts.Token).ConfigureAwait(false);
            var servedBy = reply.Headers.TryGetValues(ServedByHeader, out var values) ? values.FirstOrDefault() : null;
            if (servedBy is not null)
            {
                _servedBy.AddOrUpdate(servedBy, 1, (_, n) => n + 1);
            }

            var received = await reply.Content.ReadAsByteArrayAsync(cts.Token).ConfigureAwait(false);
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

            var error = json?["error"];
            var code = error?["code"]?.GetValue<string>() ?? $"http_{status}";
            return WalletReply<T>.Failure(status, code, error?["message"]?.GetValue<string>(), servedBy) with { Bytes = received.Length, RetryAfterMs = RetryAfter(error, reply) };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return WalletReply<T>.Failure(0, "timeout", $"no reply within {_timeout.TotalSeconds:0.#} s", null);
        }
        catch (HttpRequestException ex)
        {
            return WalletReply<T>.Failure(0, "connection_failed", ex.Message, null);
        }
    }
}

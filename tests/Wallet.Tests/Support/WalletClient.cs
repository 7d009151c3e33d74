using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaySim.Wallet.Tests.Support;

/// <summary>A thin HTTP client for the wallet's REST API, as a user's app would call it.</summary>
internal sealed class WalletClient(Uri baseUri, TimeSpan? timeout = null) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUri, Timeout = timeout ?? TimeSpan.FromSeconds(60) };

    public string? Token { get; set; }

    /// <summary>Sent as <c>X-Device-Id</c> when set (docs/wallet.md, "New devices").</summary>
    public string? DeviceId { get; set; }

    public string? UserId { get; set; }

    /// <summary>The currency of the card this user bound (payments must match it).</summary>
    public string Currency { get; set; } = "CNY";

    public async Task<Reply> SendAsync(HttpMethod method, string path, object? body = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        if (DeviceId is not null)
        {
            request.Headers.Add("X-Device-Id", DeviceId);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonNode.Parse(text) : null;
        return new Reply(response.StatusCode, json, text,
            response.Headers.TryGetValues("X-Served-By", out var served) ? served.Single() : null,
            response.Headers.TryGetValues("Idempotent-Replayed", out var replayed) && replayed.Single() == "true");
    }

    public Task<Reply> PostAsync(string path, object? body = null, string? idempotencyKey = null) => SendAsync(HttpMethod.Post, path, body, idempotencyKey);

    public Task<Reply> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    /// <summary>Registers and keeps the session token.</summary>
    public async Task<Reply> RegisterAsync(string phone, string password = "passw0rd!", string pin = "246810")
    {
        var reply = await PostAsync("/users", new { phone, password, pin });
        if (reply.Status == HttpStatusCode.Created)
        {
            Token = reply.Str("token");
            UserId = reply.Str("userId");
        }

        return reply;
    }

    public void Dispose() => _http.Dispose();

    internal sealed record Reply(HttpStatusCode Status, JsonNode? Json, string Text, string? ServedBy, bool Replayed)
    {
        public string? ErrorCode => Json?["error"]?["code"]?.GetValue<string>();

        public string? Str(string name) => Json?[name]?.GetValue<string>();

        public long Long(string name) => Json![name]!.GetValue<long>();

        public override string ToString() => $"{(int)Status} {Text}";
    }
}

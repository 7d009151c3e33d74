using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PaySim.Wallet.Hosting;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.Api;

/// <summary>
/// What every route refuses before its handler runs (docs/wallet.md, "Requests"): a query parameter it does not read
/// (400), a Content-Encoding (415), a body that is not JSON by its Content-Type (415); and a body that is no UTF-8 or a
/// field of the wrong JSON kind gets a message that names that cause, not another.
/// </summary>
public sealed class RequestChecksTests : IAsyncLifetime, IDisposable
{
    private static int _phones;
    private readonly TempDatabase _db = new();
    private WalletHost _host = null!;
    private string _token = null!;
    private string _userId = null!;

    public async Task InitializeAsync()
    {
        _host = await WalletHost.StartAsync(Hosts.Options(_db.Path));
        using var client = new WalletClient(_host.Instances[0].Uri);
        await client.RegisterAsync("13800000061");
        _token = client.Token!;
        _userId = client.UserId!;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Otp_AsANumber_IsRefusedAsTheWrongJsonType_NotAsBadUnicode()
    {
        var reply = await SendAsync(HttpMethod.Post, "/payments/p_none/authenticate", """{"otp":123456}"""u8.ToArray());

        AssertError(reply, HttpStatusCode.BadRequest, "invalid_request", "field 'otp' must be a JSON string, got a number");
    }

    [Theory]
    [InlineData("""{"otp":true}""", "got true or false")]
    [InlineData("""{"otp":{"a":1}}""", "got an object")]
    [InlineData("""{"otp":["1"]}""", "got an array")]
    public async Task Otp_OfAnotherJsonKind_NamesTheKindItGot(string body, string got)
    {
        var reply = await SendAsync(HttpMethod.Post, "/payments/p_none/authenticate", Encoding.UTF8.GetBytes(body));

        AssertError(reply, HttpStatusCode.BadRequest, "invalid_request", $"field 'otp' must be a JSON string, {got}");
    }

    [Fact]
    public async Task Otp_WithAnUnpairedSurrogateEscape_KeepsTheUnicodeMessage()
    {
        var reply = await SendAsync(HttpMethod.Post, "/payments/p_none/authenticate", """{"otp":"\ud800"}"""u8.ToArray());

        AssertError(reply, HttpStatusCode.BadRequest, "invalid_request",
            @"field 'otp' must be text: a JSON string of valid Unicode (no unpaired surrogate escape such as \ud800)");
    }

    [Fact]
    public async Task Merchant_WithARawFfByte_IsRefusedAsABodyThatIsNotUtf8_AtItsByte()
    {
        var body = Encoding.UTF8.GetBytes("""{"amount":100,"currency":"CNY","merchant":"m?","orderReference":"o","pin":"246810"}""");
        var at = Array.IndexOf(body, (byte)'?');
        body[at] = 0xFF;

        var reply = await SendAsync(HttpMethod.Post, "/payments", body);

        AssertError(reply, HttpStatusCode.BadRequest, "invalid_request",
            $"the body is not valid UTF-8: byte 0xFF at byte {at} (counting from 0) starts no UTF-8 character; send JSON text encoded as UTF-8");
    }

    [Fact]
    public async Task Transactions_WithOffset_Is400NamingItAndLimit_NotTheFirstPageAgain()
    {
        var reply = await SendAsync(HttpMethod.Get, $"/users/{_userId}/transactions?offset=5");
        var limited = await SendAsync(HttpMethod.Get, $"/users/{_userId}/transactions?limit=5");

        AssertError(reply, HttpStatusCode.BadRequest, "invalid_request",
            "query parameter 'offset' is not read here; allowed: limit; the listing has no paging or cursor: it returns the newest entries, limit 1..1000 (default 50)");
        Assert.Equal(HttpStatusCode.OK, limited.Status);
    }

    [Fact]
    public async Task Transactions_WithLimitGivenTwice_Is400SayingSo_NotARangeError()
    {
        var reply = await SendAsync(HttpMethod.Get, $"/users/{_userId}/transactions?limit=1&limit=2");

        AssertError(reply, HttpStatusCode.BadRequest, "invalid_request", "query parameter 'limit' is given 2 times; give it once");
    }

    [Theory]
    [InlineData("/cards?x=1", "x")]
    [InlineData("/health?x=1", "x")]
    [InlineData("/payments/p_none?expand=card", "expand")]
    [InlineData("/users/{user}/notifications?limit=5&page=2", "page")]
    public async Task Get_WithAQueryParameterTheRouteDoesNotRead_Is400NamingIt(string path, string parameter)
    {
        var reply = await SendAsync(HttpMethod.Get, path.Replace("{user}", _userId, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("invalid_request", reply.Json!["error"]!["code"]!.GetValue<string>());
        Assert.StartsWith($"query parameter '{parameter}' is not read here; allowed: ", reply.Json!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithAQueryParameter_Is400_AndNothingIsDone()
    {
        var reply = await SendAsync(HttpMethod.Post, "/users?ref=ad", """{"phone":"13800000062","password":"passw0rd!","pin":"246810"}"""u8.ToArray());
        var again = await SendAsync(HttpMethod.Post, "/users", """{"phone":"13800000062","password":"passw0rd!","pin":"246810"}"""u8.ToArray());

        AssertError(reply, HttpStatusCode.BadRequest, "invalid_request", "query parameter 'ref' is not read here; allowed: none");
        Assert.Equal(HttpStatusCode.Created, again.Status);
    }

    [Fact]
    public async Task Metrics_TakesTheParametersScrapersAdd()
    {
        var reply = await SendAsync(HttpMethod.Get, "/metrics?module=wallet");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Payment_SentAsXml_Is415NamingTheType()
    {
        var body = """{"amount":100,"currency":"CNY","merchant":"m","orderReference":"o","pin":"246810"}"""u8.ToArray();

        var reply = await SendAsync(HttpMethod.Post, "/payments", body, "application/xml");

        AssertError(reply, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type",
            "Content-Type 'application/xml' is not accepted; the body must be JSON: application/json (optionally with charset=utf-8), or a +json type such as application/problem+json; or no Content-Type");
    }

    [Fact]
    public async Task Body_SentAsAForm_AsCurlDashDDoes_Is415WithTheCurlHint_AndRegistersNobody()
    {
        var body = """{"phone":"13800000063","password":"passw0rd!","pin":"246810"}"""u8.ToArray();

        var form = await SendAsync(HttpMethod.Post, "/users", body, "application/x-www-form-urlencoded");
        var json = await SendAsync(HttpMethod.Post, "/users", body);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.Status);
        Assert.Equal("unsupported_media_type", form.Json!["error"]!["code"]!.GetValue<string>());
        Assert.EndsWith("(curl -d sends application/x-www-form-urlencoded: add -H 'content-type: application/json')", form.Json!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, json.Status);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Created)]
    [InlineData("application/json", HttpStatusCode.Created)]
    [InlineData("application/json; charset=utf-8", HttpStatusCode.Created)]
    [InlineData("Application/JSON; charset=\"UTF-8\"", HttpStatusCode.Created)]
    [InlineData("application/vnd.paysim+json", HttpStatusCode.Created)]
    [InlineData("application/json; charset=iso-8859-1", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("text/json", HttpStatusCode.UnsupportedMediaType)]
    public async Task Body_ContentType_IsJsonOrNone(string? contentType, HttpStatusCode expected)
    {
        var phone = "1380001" + Interlocked.Increment(ref _phones).ToString("0000", System.Globalization.CultureInfo.InvariantCulture);
        var body = Encoding.UTF8.GetBytes($$"""{"phone":"{{phone}}","password":"passw0rd!","pin":"246810"}""");

        var reply = await SendAsync(HttpMethod.Post, "/users", body, contentType);

        Assert.True(reply.Status == expected, $"{contentType}: {(int)reply.Status} {reply.Text}");
    }

    [Fact]
    public async Task Body_Gzipped_Is415SayingEncodingsAreNotAccepted_NotParsedAsJson()
    {
        using var packed = new MemoryStream();
        await using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync("""{"phone":"13800000064","password":"passw0rd!","pin":"246810"}"""u8.ToArray());
        }

        var reply = await SendAsync(HttpMethod.Post, "/users", packed.ToArray(), encoding: "gzip");

        AssertError(reply, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type",
            "Content-Encoding 'gzip' is not supported; send the body uncompressed (no Content-Encoding)");
    }

    // identity is no encoding at all (RFC 9110 §8.4.1), however often it is listed.
    [Theory]
    [InlineData("identity")]
    [InlineData("IDENTITY")]
    [InlineData("identity, identity")]
    [InlineData("identity,identity,")]
    public async Task Body_WithContentEncodingIdentity_IsTakenAsNoEncoding(string encoding)
    {
        var phone = "1380001" + Interlocked.Increment(ref _phones).ToString("0000", System.Globalization.CultureInfo.InvariantCulture);
        var reply = await SendAsync(HttpMethod.Post, "/users", Encoding.UTF8.GetBytes($$"""{"phone":"{{phone}}","password":"passw0rd!","pin":"246810"}"""), encoding: encoding);

        Assert.True(reply.Status == HttpStatusCode.Created, $"{encoding}: {(int)reply.Status} {reply.Text}");
    }

    [Fact]
    public async Task Body_WithIdentityAndAnotherEncoding_Is415NamingThem()
    {
        var reply = await SendAsync(HttpMethod.Post, "/users", """{"phone":"13800000065","password":"passw0rd!","pin":"246810"}"""u8.ToArray(), encoding: "identity, gzip");

        AssertError(reply, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type",
            "Content-Encoding 'identity, gzip' is not supported; send the body uncompressed (no Content-Encoding)");
    }

    // A GET reads no body: filters sent as JSON would be silently ignored, so the request is refused (as the simulator's
    // control plane refuses a body on a route that reads none), chunked or with a Content-Length.
    [Theory]
    [InlineData("/cards", false)]
    [InlineData("/users/{user}/transactions", true)]
    [InlineData("/health", false)]
    public async Task Get_WithABody_Is400_NotIgnored(string path, bool chunked)
    {
        path = path.Replace("{user}", _userId, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = _host.Instances[0].Uri };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Content = chunked ? new ChunkedContent("""{"limit":5}""") : new StringContent("""{"limit":5}""", Encoding.UTF8, "application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        AssertError((response.StatusCode, JsonNode.Parse(text), text), HttpStatusCode.BadRequest, "invalid_request",
            $"GET {path} takes no body: send it without one (query parameters, where the route reads any, go in the URL)");
    }

    [Fact]
    public async Task Get_WithAnEmptyBody_IsAnsweredAsAGet()
    {
        using var http = new HttpClient { BaseAddress = _host.Instances[0].Uri };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cards") { Content = new ByteArrayContent([]) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AnEmptyPost_NeedsNoContentType()
    {
        var reply = await SendAsync(HttpMethod.Post, "/cards/bind/b_none/resend", [], "text/plain");

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("binding_not_found", reply.Json!["error"]!["code"]!.GetValue<string>());
    }

    // A body without Content-Length (Transfer-Encoding: chunked).
    private sealed class ChunkedContent(string text) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private static void AssertError((HttpStatusCode Status, JsonNode? Json, string Text) reply, HttpStatusCode status, string code, string message)
    {
        Assert.True(reply.Status == status, $"{(int)reply.Status} {reply.Text}");
        Assert.Equal(code, reply.Json!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(message, reply.Json!["error"]!["message"]!.GetValue<string>());
    }

    private async Task<(HttpStatusCode Status, JsonNode? Json, string Text)> SendAsync(HttpMethod method, string path, byte[]? body = null, string? contentType = "application/json", string? encoding = null)
    {
        using var http = new HttpClient { BaseAddress = _host.Instances[0].Uri };
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            var content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            if (encoding is not null)
            {
                Assert.True(content.Headers.TryAddWithoutValidation("Content-Encoding", encoding));
            }

            request.Content = content;
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        request.Headers.Add("Idempotency-Key", "k-" + Guid.NewGuid().ToString("N"));
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonNode.Parse(text) : null, text);
    }
}

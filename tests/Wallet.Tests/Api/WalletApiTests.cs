using System.Net;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.Api;

public sealed class WalletApiTests : IAsyncLifetime, IDisposable
{
    private readonly TempDatabase _db = new();
    private WalletHost _host = null!;

    public async Task InitializeAsync() => _host = await WalletHost.StartAsync(Hosts.Options(_db.Path, instances: 2));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task EveryReply_CarriesTheInstanceName_ErrorsAndUnknownRoutesToo()
    {
        Assert.Equal(["wallet-1", "wallet-2"], _host.Instances.Select(i => i.Name));
        foreach (var instance in _host.Instances)
        {
            using var client = new WalletClient(instance.Uri);
            var replies = new[]
            {
                await client.GetAsync("/health"),
                await client.GetAsync("/cards"),
                await client.PostAsync("/users", new { phone = "1" }),
                await client.GetAsync("/no/such/route"),
            };

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.UnprocessableEntity, HttpStatusCode.NotFound], replies.Select(r => r.Status));
            Assert.All(replies, r => Assert.Equal(instance.Name, r.ServedBy));
            Assert.Equal(["unauthorized", "invalid_request", "not_found"], replies.Skip(1).Select(r => r.ErrorCode));
        }
    }

    [Theory]
    [InlineData("POST", "/cards", "GET, HEAD")]
    [InlineData("HEAD", "/payments", "POST")]
    [InlineData("DELETE", "/payments/p_x", "GET, HEAD")]
    [InlineData("GET", "/payments", "POST")]
    public async Task WrongMethod_OnAKnownRoute_Is405WithAllowAndOneLineNamingTheMethods(string method, string path, string allowed)
    {
        using var http = new HttpClient { BaseAddress = _host.Instances[0].Uri };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allowed, string.Join(", ", response.Content.Headers.Allow));
        Assert.Equal("wallet-1", response.Headers.GetValues("X-Served-By").Single());
        if (method != "HEAD")
        {
            var error = System.Text.Json.Nodes.JsonNode.Parse(text)!["error"]!;
            Assert.Equal("method_not_allowed", error["code"]!.GetValue<string>());
            Assert.Equal($"method {method} is not allowed on {path}; allowed: {allowed}", error["message"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("/health", HttpStatusCode.OK)]
    [InlineData("/metrics", HttpStatusCode.OK)]
    [InlineData("/cards", HttpStatusCode.Unauthorized)]
    [InlineData("/payments/p_x", HttpStatusCode.Unauthorized)]
    public async Task Head_OnAGetRoute_AnswersLikeGetWithoutTheBody(string path, HttpStatusCode status)
    {
        // Load balancers' health checks use HEAD: the GET's status and headers, no body, never routing's 405.
        using var http = new HttpClient { BaseAddress = _host.Instances[0].Uri };
        using var get = await http.GetAsync(path);
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal((status, status), (get.StatusCode, head.StatusCode));
        Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync());
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Equal("wallet-1", head.Headers.GetValues("X-Served-By").Single());
    }

    [Fact]
    public async Task Register_OnOneInstance_LogsInAndPaysChecksOnTheOther()
    {
        using var first = new WalletClient(_host.Instances[0].Uri);
        using var second = new WalletClient(_host.Instances[1].Uri);

        var registered = await first.RegisterAsync("13800000001");
        Assert.Equal(HttpStatusCode.Created, registered.Status);
        var login = await second.PostAsync("/sessions", new { phone = "13800000001", password = "passw0rd!" });
        Assert.Equal(HttpStatusCode.OK, login.Status);
        Assert.Equal(registered.Str("userId"), login.Str("userId"));

        second.Token = login.Str("token");
        var cards = await second.GetAsync("/cards");
        Assert.Equal(HttpStatusCode.OK, cards.Status);
        Assert.Empty(cards.Json!["cards"]!.AsArray());

        var duplicate = await second.PostAsync("/users", new { phone = "13800000001", password = "passw0rd!", pin = "246810" });
        Assert.Equal((HttpStatusCode.Conflict, "phone_taken"), (duplicate.Status, duplicate.ErrorCode));
    }

    [Fact]
    public async Task Register_WeakCredentials_AreRefusedWithTheRuleNamed()
    {
        using var client = new WalletClient(_host.Instances[0].Uri);

        var weakPin = await client.PostAsync("/users", new { phone = "13800000002", password = "passw0rd!", pin = "123456" });
        var weakPassword = await client.PostAsync("/users", new { phone = "13800000002", password = "short1", pin = "246810" });
        var badJson = await client.SendAsync(HttpMethod.Post, "/users", "not an object");

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "weak_pin"), (weakPin.Status, weakPin.ErrorCode));
        Assert.Contains("straight run", weakPin.Text, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "weak_password"), (weakPassword.Status, weakPassword.ErrorCode));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (badJson.Status, badJson.ErrorCode));
    }

    [Fact]
    public async Task Transactions_OfAnotherUser_AreForbidden()
    {
        using var alice = new WalletClient(_host.Instances[0].Uri);
        using var bob = new WalletClient(_host.Instances[0].Uri);
        await alice.RegisterAsync("13800000003");
        await bob.RegisterAsync("13800000004");

        var own = await alice.GetAsync($"/users/{alice.UserId}/transactions");
        var other = await alice.GetAsync($"/users/{bob.UserId}/transactions");

        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (other.Status, other.ErrorCode));
    }

    [Fact]
    public async Task Pay_WithoutIdempotencyKeyOrCard_IsRefusedBeforeAnyIssuerCall()
    {
        using var client = new WalletClient(_host.Instances[0].Uri);
        await client.RegisterAsync("13800000005");
        var body = new { amount = 100, currency = "CNY", merchant = "m-1", orderReference = "o-1", pin = "246810" };

        var noKey = await client.PostAsync("/payments", body);
        var noCard = await client.PostAsync("/payments", body, idempotencyKey: "k-1");
        var badCurrency = await client.PostAsync("/payments", body with { currency = "cny" }, idempotencyKey: "k-2");

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "idempotency_key_missing"), (noKey.Status, noKey.ErrorCode));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "card_not_found"), (noCard.Status, noCard.ErrorCode));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "invalid_request"), (badCurrency.Status, badCurrency.ErrorCode));
        Assert.Contains("currency", badCurrency.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pay_PinNotSixDigits_Is422NamingPinBeforeAnyAttemptIsUsed()
    {
        using var client = new WalletClient(_host.Instances[0].Uri);
        await client.RegisterAsync("13800000016");
        var body = new { amount = 100, currency = "CNY", merchant = "m", orderReference = "o", pin = "2406" };

        var shortPin = await client.PostAsync("/payments", body, "k-short");
        var emptyPin = await client.PostAsync("/payments", body with { pin = "" }, "k-empty");
        var wrong = await client.PostAsync("/payments", body with { pin = "999998" }, "k-wrong");

        Assert.All([shortPin, emptyPin], r => Assert.Equal((HttpStatusCode.UnprocessableEntity, "invalid_request"), (r.Status, r.ErrorCode)));
        Assert.Contains("pin must be the 6-digit payment PIN", shortPin.Text, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Forbidden, "pin_wrong", 4), (wrong.Status, wrong.ErrorCode, wrong.Json!["error"]!["attemptsLeft"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Headers_GivenTwice_Are422NamingTheHeader_NotJoinedIntoOneValue()
    {
        using var client = new WalletClient(_host.Instances[0].Uri);
        await client.RegisterAsync("13800000017");
        var uri = _host.Instances[0].Uri;
        const string Payment = """{"amount":100,"currency":"CNY","merchant":"m","orderReference":"o","pin":"246810"}""";
        var bearer = "Authorization: Bearer " + client.Token;

        var twoKeys = await RawHttp.PostAsync(uri, "/payments", [bearer, "Idempotency-Key: aaa", "Idempotency-Key: bbb"], Payment);
        var twoRefundKeys = await RawHttp.PostAsync(uri, "/payments/p_x/refund", [bearer, "Idempotency-Key: aaa", "Idempotency-Key: bbb"], "{}");
        var twoDevices = await RawHttp.PostAsync(uri, "/sessions", ["X-Device-Id: a", "X-Device-Id: b"], """{"phone":"13800000017","password":"passw0rd!"}""");
        var oneKeyWithAComma = await client.PostAsync("/payments", System.Text.Json.JsonSerializer.Deserialize<object>(Payment), "aaa,bbb");

        Assert.Equal((422, "invalid_request", "header 'Idempotency-Key' is given 2 times; send it once"), Error(twoKeys));
        Assert.Equal((422, "invalid_request", "header 'Idempotency-Key' is given 2 times; send it once"), Error(twoRefundKeys));
        Assert.Equal((422, "invalid_request", "header 'X-Device-Id' is given 2 times; send it once"), Error(twoDevices));
        Assert.Equal("card_not_found", oneKeyWithAComma.ErrorCode);

        static (int, string, string) Error((int Status, string Text) reply)
        {
            // The body, whether sent with a length or in one chunk.
            var body = reply.Text[reply.Text.IndexOf("\r\n\r\n", StringComparison.Ordinal)..];
            var error = System.Text.Json.Nodes.JsonNode.Parse(body[body.IndexOf('{', StringComparison.Ordinal)..(body.LastIndexOf('}') + 1)])!["error"]!;
            return (reply.Status, error["code"]!.GetValue<string>(), error["message"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Pay_IdempotencyKeyTooLong_IsIdempotencyKeyInvalid_NotMissing()
    {
        using var client = new WalletClient(_host.Instances[0].Uri);
        await client.RegisterAsync("13800000018");
        var body = new { amount = 100, currency = "CNY", merchant = "m", orderReference = "o", pin = "246810" };

        var longest = await client.PostAsync("/payments", body, new string('k', 128));
        var tooLong = await client.PostAsync("/payments", body, new string('k', 129));
        var refundTooLong = await client.PostAsync("/payments/p_x/refund", null, new string('k', 129));

        Assert.Equal("card_not_found", longest.ErrorCode);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "idempotency_key_invalid"), (tooLong.Status, tooLong.ErrorCode));
        Assert.Contains("Idempotency-Key must be 1 to 128 characters (Unicode code points); got 129", tooLong.Text, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "idempotency_key_invalid"), (refundTooLong.Status, refundTooLong.ErrorCode));
    }

    [Fact]
    public async Task Pay_TextLimits_CountCharactersAsTheMessageSays()
    {
        using var client = new WalletClient(_host.Instances[0].Uri);
        await client.RegisterAsync("13800000019");
        string Emoji(int n) => string.Concat(Enumerable.Repeat("😀", n));

        // No card is bound, so a body within every rule gets as far as card_not_found.
        var fits = await client.PostAsync("/payments", new { amount = 100, currency = "CNY", merchant = Emoji(64), orderReference = Emoji(64), pin = "246810" }, "k-fits");
        var tooLong = await client.PostAsync("/payments", new { amount = 100, currency = "CNY", merchant = "m", orderReference = Emoji(65), pin = "246810" }, "k-long");

        Assert.Equal("card_not_found", fits.ErrorCode);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "invalid_request"), (tooLong.Status, tooLong.ErrorCode));
        Assert.Equal("orderReference must be 1 to 64 characters (Unicode code points)", tooLong.Json!["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Pay_FiveWrongPins_LocksPaymentsWith423()
    {
        using var client = new WalletClient(_host.Instances[0].Uri);
        await client.RegisterAsync("13800000006");
        var statuses = new List<(HttpStatusCode, string?)>();
        for (var i = 0; i < 6; i++)
        {
            var reply = await client.PostAsync("/payments", new { amount = 100, currency = "CNY", merchant = "m", orderReference = "o", pin = "999998" }, $"k-{i}");
            statuses.Add((reply.Status, reply.ErrorCode));
        }

        Assert.Equal(Enumerable.Repeat((HttpStatusCode.Forbidden, (string?)"pin_wrong"), 4), statuses.Take(4));
        Assert.Equal(((HttpStatusCode)423, "pin_locked"), statuses[4]);
        Assert.Equal(((HttpStatusCode)423, "pin_locked"), statuses[5]);
    }

    [Fact]
    public async Task Login_FiveWrongPasswords_LockThePhoneOnEveryInstanceWith423()
    {
        using var first = new WalletClient(_host.Instances[0].Uri);
        using var second = new WalletClient(_host.Instances[1].Uri);
        await first.RegisterAsync("13800000007");
        var replies = new List<WalletClient.Reply>();
        for (var i = 0; i < 5; i++)
        {
            replies.Add(await (i % 2 == 0 ? first : second).PostAsync("/sessions", new { phone = "13800000007", password = "wrong-passw0rd" }));
        }

        var right = await second.PostAsync("/sessions", new { phone = "13800000007", password = "passw0rd!" });

        Assert.Equal([401, 401, 401, 401, 423], replies.Select(r => (int)r.Status));
        Assert.Equal(((HttpStatusCode)423, "login_locked"), (right.Status, right.ErrorCode));
        Assert.Equal(15 * 60 * 1000, right.Json!["error"]!["retryAfterMs"]!.GetValue<long>(), tolerance: 5_000);
    }

    [Fact]
    public async Task Login_PastTheRatePerMinute_Gets429WithRetryAfter()
    {
        using var client = new WalletClient(_host.Instances[0].Uri);
        var statuses = new List<int>();
        for (var i = 0; i < WalletDefaults.LoginRatePerMinute + 1; i++)
        {
            // A different unknown phone each time: only the address's rate can stop these.
            statuses.Add((int)(await client.PostAsync("/sessions", new { phone = $"1370000{i:0000}", password = "passw0rd!" })).Status);
        }

        Assert.Equal(Enumerable.Repeat(401, WalletDefaults.LoginRatePerMinute).Append(429), statuses);
    }

    [Fact]
    public async Task Metrics_CountRequestsByStatus()
    {
        using var client = new WalletClient(_host.Instances[0].Uri);
        await client.GetAsync("/health");
        await client.GetAsync("/cards");

        var metrics = await client.GetAsync("/metrics");

        Assert.Equal(1, Sample(metrics.Text, "wallet_http_requests_total", "code=\"401\""));
        Assert.Equal(1, Sample(metrics.Text, "wallet_http_requests_total", "code=\"200\""));
        Assert.Equal(1, Sample(metrics.Text, "wallet_http_request_duration_seconds_count", "route=\"/health\""));
        Assert.Equal(1, Sample(metrics.Text, "wallet_http_request_duration_seconds_bucket", "route=\"/cards\"", "le=\"+Inf\""));
        Assert.Contains("# HELP wallet_http_requests_total ", metrics.Text, StringComparison.Ordinal);
        Assert.Contains("# TYPE wallet_http_request_duration_seconds histogram", metrics.Text, StringComparison.Ordinal);
    }

    /// <summary>The value of the one sample of <paramref name="family"/> whose labels hold every given pair and this instance's name.</summary>
    private static double Sample(string text, string family, params string[] labels) =>
        double.Parse(
            text.Split('\n').Single(l => l.StartsWith(family + "{", StringComparison.Ordinal)
                && labels.Append("wallet=\"wallet-1\"").All(p => l.Contains(p, StringComparison.Ordinal))).Split(' ')[^1],
            System.Globalization.CultureInfo.InvariantCulture);
}
